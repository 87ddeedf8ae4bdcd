package io.flowmate.workflow.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Resolves {@code flowmate.engine.port=0} to a free port before any bean reads it, so that the
 * embedded engine and the client ({@code camunda.client.grpc-address}) agree on one port. Tests and
 * side-by-side instances use this; the default stays 26500 for Camunda Modeler.
 */
class EnginePortInitializer implements EnvironmentPostProcessor {

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (!"0".equals(environment.getProperty("flowmate.engine.port"))) {
      return;
    }
    try (ServerSocket socket = new ServerSocket(0)) {
      environment
          .getPropertySources()
          .addFirst(
              new MapPropertySource(
                  "flowmateEnginePort", Map.of("flowmate.engine.port", socket.getLocalPort())));
    } catch (IOException e) {
      throw new UncheckedIOException("No free port for the embedded engine", e);
    }
  }
}
