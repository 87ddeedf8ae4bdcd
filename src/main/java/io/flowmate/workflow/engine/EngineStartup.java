package io.flowmate.workflow.engine;

import io.camunda.client.spring.event.CamundaPostDeploymentSpringEvent;
import io.flowmate.workflow.EngineEpoch;
import io.flowmate.workflow.EngineReady;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Once Flowmate's models are deployed: restores user deployments on a fresh embedded engine, then,
 * once the application has started, announces {@link EngineReady} so that every module re-creates
 * the instances it needs.
 *
 * <p>Not before the application has started: the job workers open their job streams while it
 * starts, and the engine pushes a job only to streams open when the job is created. A job created
 * earlier waits for the workers' fallback poll ({@code
 * camunda.client.worker.defaults.poll-interval}, a minute), so a campaign re-created at the
 * deployment would complete a minute late.
 */
@Component
class EngineStartup {

  private static final Logger log = LoggerFactory.getLogger(EngineStartup.class);

  private final ProcessCatalog catalog;
  private final EngineEpoch epoch;
  private final ApplicationEventPublisher events;
  private boolean deployed;
  private boolean started;

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
    boolean announceNow;
    synchronized (this) {
      deployed = true;
      announceNow = started;
    }
    if (announceNow) {
      announce();
    }
  }

  @EventListener
  void onApplicationReady(ApplicationReadyEvent event) {
    boolean announceNow;
    synchronized (this) {
      started = true;
      announceNow = deployed;
    }
    if (announceNow) {
      announce();
    }
  }

  private void announce() {
    log.info(
        "Engine ready (epoch {}): re-creating the process instances Flowmate needs", epoch.value());
    events.publishEvent(new EngineReady(epoch.value()));
  }
}
