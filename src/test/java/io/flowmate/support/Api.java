package io.flowmate.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small HTTP client for tests that talk to the running server over real HTTP. */
public final class Api {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String baseUrl;
  private final String apiKey;
  private final Map<String, String> headers;

  public Api(String baseUrl, String apiKey) {
    this(baseUrl, apiKey, Map.of());
  }

  private Api(String baseUrl, String apiKey, Map<String, String> headers) {
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
    this.headers = headers;
  }

  public Api withKey(String key) {
    return new Api(baseUrl, key, headers);
  }

  public Api withoutKey() {
    return new Api(baseUrl, null, headers);
  }

  public Api withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new Api(baseUrl, apiKey, more);
  }

  public Response get(String path) {
    return send("GET", path, null);
  }

  public Response delete(String path) {
    return send("DELETE", path, null);
  }

  public Response post(String path) {
    return send("POST", path, null);
  }

  public Response post(String path, Object body) {
    return send("POST", path, json(body));
  }

  public Response put(String path, Object body) {
    return send("PUT", path, json(body));
  }

  public Response patch(String path, Object body) {
    return send("PATCH", path, json(body));
  }

  /** Sends a body exactly as given (malformed JSON, oversized payloads...). */
  public Response raw(String method, String path, String body, String contentType) {
    HttpRequest.Builder request = request(path).header("Content-Type", contentType);
    request.method(method, HttpRequest.BodyPublishers.ofString(body));
    return execute(request.build());
  }

  private Response send(String method, String path, String body) {
    HttpRequest.Builder request = request(path);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return execute(request.build());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    if (apiKey != null) {
      request.header("X-API-Key", apiKey);
    }
    headers.forEach(request::header);
    return request;
  }

  private static Response execute(HttpRequest request) {
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String json(Object body) {
    if (body instanceof String string) {
      return string;
    }
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A response with its body parsed as JSON when it is JSON. */
  public record Response(int status, HttpHeaders headers, String body) {

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("Not JSON (status " + status + "): " + body, e);
      }
    }

    public String text(String field) {
      JsonNode node = json().get(field);
      return node == null || node.isNull() ? null : node.asText();
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
