package io.flowmate.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A web server on the loopback interface that serves files for media tests, so that no test reaches
 * the internet. Its URLs use the host name {@code localhost}, which the test profile exempts from
 * the outbound-URL guard ({@code flowmate.outbound.allowed-hosts}); the same server reached as
 * {@code 127.0.0.1} is not exempt.
 */
public final class MediaServer implements AutoCloseable {

  private final HttpServer server;
  private final List<String> requested = new CopyOnWriteArrayList<>();

  private MediaServer(HttpServer server) {
    this.server = server;
  }

  public static MediaServer start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      MediaServer media = new MediaServer(server);
      server.start();
      return media;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Answers {@code path} with these bytes and this {@code Content-Type}. */
  public MediaServer serve(String path, String contentType, byte[] content) {
    server.createContext(
        path,
        exchange -> {
          requested.add(exchange.getRequestURI().getPath());
          exchange.getResponseHeaders().add("Content-Type", contentType);
          exchange.sendResponseHeaders(200, content.length);
          exchange.getResponseBody().write(content);
          exchange.close();
        });
    return this;
  }

  /** Answers {@code path} with {@code 302 Found} to {@code location}. */
  public MediaServer redirect(String path, String location) {
    server.createContext(
        path,
        exchange -> {
          requested.add(exchange.getRequestURI().getPath());
          exchange.getResponseHeaders().add("Location", location);
          exchange.sendResponseHeaders(302, -1);
          exchange.close();
        });
    return this;
  }

  /** The URL of {@code path} on this server, by the exempted host name {@code localhost}. */
  public String url(String path) {
    return "http://localhost:" + port() + path;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The paths requested so far, in order. */
  public List<String> requested() {
    return List.copyOf(requested);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
