package io.flowmate.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * A live event stream (SSE) read by a test: every line the server sends is kept, in order, until
 * the stream ends or the test closes it.
 */
public final class EventStream implements AutoCloseable {

  private final HttpResponse<InputStream> response;
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean ended;

  private EventStream(HttpResponse<InputStream> response) {
    this.response = response;
    CompletableFuture.runAsync(this::read);
  }

  /** A stream ticket for the API client's key ({@code POST /api/v2/stream-ticket}). */
  public static String ticket(Api api) {
    Api.Response ticket = api.post("/api/v2/stream-ticket");
    assertThat(ticket.status()).as(ticket.toString()).isEqualTo(200);
    return ticket.text("ticket");
  }

  /** Opens {@code path} (with its query) on the server at {@code port}, without a key header. */
  public static EventStream open(int port, String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Accept", "text/event-stream")
            .build();
    try {
      return new EventStream(
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Opens a stream with a fresh ticket of the API client's key. */
  public static EventStream withTicket(int port, Api api, String path) {
    return open(port, path + (path.contains("?") ? "&" : "?") + "ticket=" + ticket(api));
  }

  private void read() {
    try (var reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    } catch (Exception e) {
      // The test closed the stream.
    } finally {
      ended = true;
    }
  }

  public int status() {
    return response.statusCode();
  }

  public String contentType() {
    return response.headers().firstValue("Content-Type").orElse("");
  }

  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** The {@code data:} payloads so far. */
  public List<String> data() {
    return lines().stream().filter(l -> l.startsWith("data:")).map(l -> l.substring(5)).toList();
  }

  /** The whole body so far, lines joined by newlines (for error responses). */
  public String body() {
    return String.join("\n", lines());
  }

  public boolean hasEnded() {
    return ended;
  }

  public void awaitLine(Predicate<String> line) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> lines().stream().anyMatch(line));
  }

  public void awaitConnected() {
    awaitLine(":connected"::equals);
  }

  public void awaitEnd() {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ended);
  }

  @Override
  public void close() {
    try {
      response.body().close();
    } catch (java.io.IOException e) {
      // Already closed.
    }
  }
}
