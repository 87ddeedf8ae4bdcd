package io.flowmate;

import io.flowmate.admin.FirstStart;
import io.flowmate.gateway.GatewaySettings;
import io.flowmate.workflow.EmbeddedEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Tells the person who started Flowmate where everything is, and the admin key once. */
@Component
class StartupBanner {

  private static final Logger log = LoggerFactory.getLogger(StartupBanner.class);

  private final FirstStart firstStart;
  private final ObjectProvider<EmbeddedEngine> engine;
  private final GatewaySettings gateway;

  StartupBanner(
      FirstStart firstStart, ObjectProvider<EmbeddedEngine> engine, GatewaySettings gateway) {
    this.firstStart = firstStart;
    this.engine = engine;
    this.gateway = gateway;
  }

  @EventListener
  void onReady(ApplicationReadyEvent event) {
    int port =
        event.getApplicationContext() instanceof WebServerApplicationContext web
            ? web.getWebServer().getPort()
            : 8080;
    String base = "http://localhost:" + port;
    StringBuilder banner = new StringBuilder("\n\n  Flowmate is ready\n");
    banner.append("  API          ").append(base).append("/api/v2\n");
    banner.append("  Swagger UI   ").append(base).append("/swagger-ui.html\n");
    banner.append("  OpenAPI      ").append(base).append("/v3/api-docs\n");
    EmbeddedEngine embedded = engine.getIfAvailable();
    banner
        .append("  Zeebe gRPC   ")
        .append(
            embedded != null
                ? "localhost:"
                    + embedded.port()
                    + " (embedded engine; deploy from Camunda Modeler here)"
                : "remote cluster (camunda.client.*)")
        .append('\n');
    banner
        .append("  WhatsApp     ")
        .append(gateway.transport().name().toLowerCase())
        .append(" transport\n");
    firstStart
        .generatedAdminKey()
        .ifPresent(key ->
            banner
                .append("\n  Admin API key (shown only this once, store it now):\n\n    ")
                .append(key)
                .append("\n\n  Try: curl -H 'X-API-Key: ")
                .append(key)
                .append("' ")
                .append(base)
                .append("/api/v2/tenant/settings\n"));
    log.info(banner.toString());
  }
}
