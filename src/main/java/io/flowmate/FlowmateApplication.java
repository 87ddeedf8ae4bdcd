package io.flowmate;

import io.camunda.client.annotation.Deployment;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.modulith.Modulithic;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Flowmate: a self-hosted WhatsApp automation server on the Camunda 8 engine.
 *
 * <p>Every BPMN, DMN and form in {@code bpmn/} and {@code dmn/} is deployed when the engine client
 * starts; PostgreSQL stays the source of truth and each module re-creates the process instances its
 * business objects need when the engine is fresh (see {@code workflow.EngineReady}).
 */
@SpringBootApplication
@Modulithic(sharedModules = "core")
@ConfigurationPropertiesScan
@EnableAsync
@EnableScheduling
@Deployment(
    resources = {"classpath*:/bpmn/*.bpmn", "classpath*:/bpmn/*.form", "classpath*:/dmn/*.dmn"})
public class FlowmateApplication {

  public static void main(String[] args) {
    SpringApplication.run(FlowmateApplication.class, args);
  }
}
