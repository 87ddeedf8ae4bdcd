package io.flowmate.core.web;

import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.web.servlet.context.ServletWebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Warns at every start when the HTTP server listens beyond this machine: that has to be asked for
 * ({@code SERVER_ADDRESS}), and whoever asked should be reminded that the API has no TLS of its
 * own.
 */
@Component
class ListenAddressWarning {

  private static final Logger log = LoggerFactory.getLogger(ListenAddressWarning.class);

  private final ServerProperties server;

  ListenAddressWarning(ServerProperties server) {
    this.server = server;
  }

  @EventListener
  void onStarted(ServletWebServerInitializedEvent event) {
    InetAddress address = server.getAddress();
    if (address == null || !address.isLoopbackAddress()) {
      log.warn(
          "The HTTP server listens on {} port {} (server.address): other machines can reach the API,"
              + " which has no TLS of its own. Expected inside a container that publishes it on the"
              + " host's loopback; otherwise put a TLS proxy in front or set SERVER_ADDRESS=127.0.0.1",
          address == null ? "all interfaces" : address.getHostAddress(),
          event.getWebServer().getPort());
    }
  }
}
