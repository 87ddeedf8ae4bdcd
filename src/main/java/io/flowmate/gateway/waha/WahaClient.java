package io.flowmate.gateway.waha;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.flowmate.gateway.GatewaySettings;
import io.flowmate.gateway.spi.TransportException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * The HTTP side of WAHA: every call carries {@code X-Api-Key}, bodies are JSON written and read
 * here (not with the API's snake_case mapper, because WAHA speaks camelCase), and every failure
 * becomes a {@link TransportException} that says whether trying again may help.
 *
 * <p>Path segments are percent-encoded completely, {@code @} included: WAHA reads {@code
 * 4915…@c.us} in a path only as {@code 4915…%40c.us}, and Spring's own URI templates would leave
 * the {@code @} alone because RFC 3986 allows it there.
 */
final class WahaClient {

  static final String API_KEY_HEADER = "X-Api-Key";
  private static final int MAX_DETAIL = 300;

  private final RestClient http;
  private final String baseUrl;
  private final String apiKey;
  private final ObjectMapper json;

  WahaClient(GatewaySettings.Waha settings, RestClient.Builder builder, ObjectMapper json) {
    this.baseUrl = settings.baseUrl().toString().replaceAll("/+$", "");
    this.apiKey =
        settings.apiKey() == null || settings.apiKey().isBlank() ? null : settings.apiKey();
    this.json = json;
    Duration timeout = settings.timeout();
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(client);
    requests.setReadTimeout(timeout);
    this.http = builder.clone().requestFactory(requests).build();
  }

  /** {@code <base>/a/b%40c}: every segment percent-encoded, {@code @} as {@code %40}. */
  URI uri(String... segments) {
    return URI.create(
        baseUrl + Arrays.stream(segments).map(s -> "/" + encode(s)).collect(Collectors.joining()));
  }

  /** {@link #uri} with a query string of name/value pairs; null values are left out. */
  URI uri(String[] segments, String... query) {
    StringBuilder text = new StringBuilder(uri(segments).toString());
    char separator = '?';
    for (int i = 0; i + 1 < query.length; i += 2) {
      if (query[i + 1] != null) {
        text.append(separator).append(encode(query[i])).append('=').append(encode(query[i + 1]));
        separator = '&';
      }
    }
    return URI.create(text.toString());
  }

  /** A URL of WAHA's own (media files) with the same host as the base URL. */
  boolean isWahaUrl(URI url) {
    URI base = URI.create(baseUrl);
    return url.getScheme() != null
        && url.getScheme().equalsIgnoreCase(base.getScheme())
        && url.getHost() != null
        && url.getHost().equalsIgnoreCase(base.getHost())
        && url.getPort() == base.getPort();
  }

  /** The same path and query on WAHA's base URL (its files as seen from Flowmate). */
  URI onBase(URI url) {
    String query = url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
    return URI.create(baseUrl + url.getRawPath() + query);
  }

  JsonNode get(URI uri) {
    return call(HttpMethod.GET, uri, null);
  }

  /** GET that answers empty on 404 (the session or object does not exist in WAHA). */
  Optional<JsonNode> find(URI uri) {
    try {
      return Optional.of(get(uri));
    } catch (NotFound e) {
      return Optional.empty();
    }
  }

  JsonNode post(URI uri, Object body) {
    return call(HttpMethod.POST, uri, body);
  }

  JsonNode put(URI uri, Object body) {
    return call(HttpMethod.PUT, uri, body);
  }

  JsonNode delete(URI uri) {
    return call(HttpMethod.DELETE, uri, null);
  }

  /** The bytes at a URL; WAHA's API key goes only to WAHA itself. */
  byte[] bytes(URI uri, boolean withKey) {
    try {
      RestClient.RequestHeadersSpec<?> request = http.get().uri(uri);
      if (withKey && apiKey != null) {
        request = request.header(API_KEY_HEADER, apiKey);
      }
      byte[] body = request.retrieve().body(byte[].class);
      return body == null ? new byte[0] : body;
    } catch (RestClientException e) {
      throw failure(HttpMethod.GET, uri, e);
    }
  }

  private JsonNode call(HttpMethod method, URI uri, Object body) {
    String text;
    try {
      RestClient.RequestBodySpec request =
          http.method(method).uri(uri).accept(MediaType.APPLICATION_JSON);
      if (apiKey != null) {
        request.header(API_KEY_HEADER, apiKey);
      }
      if (body != null) {
        request.contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsString(body));
      }
      text = request.retrieve().body(String.class);
    } catch (IOException e) {
      throw new TransportException(
          "could not write the request to WAHA: " + e.getMessage(), false, e);
    } catch (RestClientException e) {
      throw failure(method, uri, e);
    }
    return parse(text);
  }

  private JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return json.readTree(text);
    } catch (IOException e) {
      // Some WAHA answers are plain text (an id, "OK"); keep them as a JSON string.
      return json.getNodeFactory().textNode(text);
    }
  }

  /**
   * 5xx, timeouts and refused connections may pass later; so may 408, 429, and WAHA's 422 for a
   * session that is not working yet ("Session status is not as expected"). Other 4xx will fail the
   * same way every time.
   *
   * <p>Whether WAHA may have carried the call out anyway ({@link TransportException#outcome()}):
   * not when it answered 4xx, nor when the request never left (connection refused or timed out,
   * unknown host); it may have when it answered 5xx (it may fail after handing the message to
   * WhatsApp) or when the answer never came (read timeout, connection reset after the request was
   * written).
   */
  private TransportException failure(HttpMethod method, URI uri, RestClientException e) {
    String call = method.name() + " " + uri.getRawPath();
    if (e instanceof RestClientResponseException response) {
      HttpStatusCode status = response.getStatusCode();
      String detail = detail(response.getResponseBodyAsString());
      String message =
          "WAHA answered %d to %s%s"
              .formatted(status.value(), call, detail.isEmpty() ? "" : ": " + detail);
      if (status.value() == 404) {
        return new NotFound(message, e);
      }
      if (status.is5xxServerError()) {
        return TransportException.outcomeUnknown(message, e);
      }
      boolean retryable =
          status.value() == 408
              || status.value() == 429
              || status.value() == 422 && sessionNotReady(response.getResponseBodyAsString());
      return new TransportException(message, retryable, e);
    }
    if (e instanceof ResourceAccessException) {
      String message = "WAHA did not answer %s at %s: %s".formatted(call, baseUrl, rootMessage(e));
      return neverLeft(e)
          ? new TransportException(message, true, e)
          : TransportException.outcomeUnknown(message, e);
    }
    // The answer came but could not be read: WAHA did carry the call out.
    return new TransportException(
        "WAHA call %s failed: %s".formatted(call, rootMessage(e)),
        false,
        TransportException.Outcome.UNKNOWN,
        e);
  }

  /**
   * Whether the request certainly never reached WAHA: no connection was made (refused, timed out
   * while connecting, unknown host). A timeout waiting for the answer or a connection broken later
   * may come after WAHA read the request.
   */
  static boolean neverLeft(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException
          || cause instanceof HttpConnectTimeoutException
          || cause instanceof UnknownHostException
          || cause instanceof UnresolvedAddressException
          || cause instanceof NoRouteToHostException) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  /** WAHA's explanation: {@code message} or {@code error} of its JSON error, else the raw body. */
  private String detail(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String detail = body.strip();
    try {
      JsonNode error = json.readTree(body);
      JsonNode message = error.path("message");
      if (message.isArray()) {
        detail = String.join("; ", json.convertValue(message, String[].class));
      } else if (message.isTextual()) {
        detail = message.asText();
      } else if (error.path("error").isTextual()) {
        detail = error.path("error").asText();
      } else if (error.path("exception").path("message").isTextual()) {
        detail = error.path("exception").path("message").asText();
      }
    } catch (IOException | IllegalArgumentException notJson) {
      // keep the raw body
    }
    return detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "…" : detail;
  }

  private static boolean sessionNotReady(String body) {
    String lower = body == null ? "" : body.toLowerCase();
    return lower.contains("not as expected") || lower.contains("\"expected\"");
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** WAHA does not know the session or object (404); never retryable. */
  static final class NotFound extends TransportException {
    NotFound(String message, Throwable cause) {
      super(message, false, cause);
    }
  }
}
