package io.flowmate.workflow.engine;

import io.camunda.client.spring.event.CamundaPostDeploymentSpringEvent;
import io.flowmate.workflow.EngineEpoch;
import io.flowmate.workflow.EngineReady;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Once Flowmate's models are deployed: restores user deployments on a fresh embedded engine, then
 * announces {@link EngineReady} so that every module re-creates the instances it needs.
 */
@Component
class EngineStartup {

  private static final Logger log = LoggerFactory.getLogger(EngineStartup.class);

  private final ProcessCatalog catalog;
  private final EngineEpoch epoch;
  private final ApplicationEventPublisher events;

  EngineStartup(ProcessCatalog catalog, EngineEpoch epoch, ApplicationEventPublisher events) {
    this.catalog = catalog;
    this.epoch = epoch;
    this.events = events;
  }

  @EventListener
  void onDeployed(CamundaPostDeploymentSpringEvent event) {
    catalog.recordBuiltIn(event.getDeployments());
    catalog.restoreUserDeployments();
    catalog.startCapturing();
    log.info(
        "Engine ready (epoch {}): re-creating the process instances Flowmate needs", epoch.value());
    events.publishEvent(new EngineReady(epoch.value()));
  }
}
