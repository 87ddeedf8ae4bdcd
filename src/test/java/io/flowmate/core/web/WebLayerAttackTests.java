package io.flowmate.core.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.support.IntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Attacks on the web layer itself, below the controllers: multipart bodies that slip past the body
 * limit, and requests Tomcat refuses before Spring sees them. Every answer must be a small RFC 9457
 * problem, never an HTML page, a stack trace or a 500. Requests are written by hand on a socket,
 * because well-behaved HTTP clients refuse to send them.
 */
class WebLayerAttackTests extends IntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BOUNDARY = "----flowmate-attack";

  /**
   * A 3 MB multipart upload without a key is refused by its size, not parsed into temp files first.
   */
  @Test
  void oversizedMultipartWithoutAKeyIs413() throws IOException {
    RawResponse response = send(multipart("/api/v2/sessions", 3 * 1024 * 1024));

    assertProblem(response, 413, "larger than the limit");
  }

  /** The same upload outside {@code /api} (no controller reads it) is refused just the same. */
  @Test
  void oversizedMultipartOutsideTheApiIs413() throws IOException {
    RawResponse response = send(multipart("/webhooks/waha", 3 * 1024 * 1024));

    assertProblem(response, 413, "larger than the limit");
  }

  /** A multipart body whose parts are broken gets a 4xx, not a 500 from a parser. */
  @Test
  void malformedMultipartIsA4xxNotA500() throws IOException {
    TestTenant tenant = newTenant();
    String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nno end";
    String request =
        "POST /api/v2/sessions HTTP/1.1\r\nHost: localhost\r\nX-API-Key: "
            + tenant.adminKey()
            + "\r\nContent-Type: multipart/form-data; boundary="
            + BOUNDARY
            + "\r\nContent-Length: "
            + body.length()
            + "\r\nConnection: close\r\n\r\n"
            + body;

    RawResponse response = send(request.getBytes(StandardCharsets.ISO_8859_1));

    assertThat(response.status()).as(response.toString()).isBetween(400, 499);
    assertProblemShape(response);
  }

  /**
   * An encoded slash, which Tomcat refuses before any filter, gets a problem, not Tomcat's HTML.
   */
  @Test
  void encodedSlashInThePathIsAProblem() throws IOException {
    assertProblem(send(get("/api/v2/a%2Fb", "localhost")), 400, "path");
  }

  /** An encoded NUL in the path gets a problem, not Tomcat's HTML. */
  @Test
  void encodedNulInThePathIsAProblem() throws IOException {
    assertProblem(send(get("/api/v2/%00", "localhost")), 400, "path");
  }

  /** A path that escapes the root with encoded dots gets a problem. */
  @Test
  void dotDotOutOfTheRootIsAProblem() throws IOException {
    RawResponse response = send(get("/api/../../etc/passwd", "localhost"));

    assertThat(response.status()).as(response.toString()).isBetween(400, 404);
    assertProblemShape(response);
  }

  /** A Host header with characters no host name has gets a problem. */
  @Test
  void invalidHostHeaderIsAProblem() throws IOException {
    assertProblem(send(get("/api/v2/sessions", "bad host<>")), 400, "malformed");
  }

  /** Characters that are not allowed in a request target get a problem. */
  @Test
  void invalidCharactersInTheRequestTargetAreAProblem() throws IOException {
    assertProblem(send(get("/api/v2/a{b}|c", "localhost")), 400, "malformed");
  }

  /** Headers larger than Tomcat accepts get a problem, not Tomcat's HTML. */
  @Test
  void oversizedHeadersAreAProblem() throws IOException {
    String request =
        "GET /api/v2/sessions HTTP/1.1\r\nHost: localhost\r\nX-Filler: "
            + "a".repeat(64 * 1024)
            + "\r\nConnection: close\r\n\r\n";

    RawResponse response = send(request.getBytes(StandardCharsets.ISO_8859_1));

    assertThat(response.status()).as(response.toString()).isIn(400, 431);
    assertProblemShape(response);
  }

  /** A browser asking for HTML still gets the problem, not a whitelabel page. */
  @Test
  void askingForHtmlStillGetsAProblem() throws IOException {
    String request =
        "GET /no-such-page HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\nConnection: close\r\n\r\n";

    RawResponse response = send(request.getBytes(StandardCharsets.ISO_8859_1));

    assertThat(response.status()).as(response.toString()).isEqualTo(404);
    assertProblemShape(response);
  }

  /** The servlet error page asked for directly is no endpoint: 404 problem, not status 999. */
  @Test
  void theErrorPageItselfIsNotAnEndpoint() throws IOException {
    assertProblem(send(get("/error", "localhost")), 404, "nothing");
  }

  /** The servlet error page asked for by a browser is a problem too, not a whitelabel page. */
  @Test
  void theErrorPageForABrowserIsAProblemToo() throws IOException {
    String request =
        "GET /error HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\nConnection: close\r\n\r\n";

    assertProblem(send(request.getBytes(StandardCharsets.ISO_8859_1)), 404, "nothing");
  }

  private static byte[] get(String target, String host) {
    return ("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A multipart request with one file part of {@code size} bytes. */
  private static byte[] multipart(String path, int size) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    body.writeBytes(new byte[size]);
    body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
    byte[] content = body.toByteArray();
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
            + "Content-Type: multipart/form-data; boundary="
            + BOUNDARY
            + "\r\n"
            + "Content-Length: "
            + content.length
            + "\r\n\r\n";
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
    request.writeBytes(content);
    return request.toByteArray();
  }

  /** Writes the request as it is and reads the answer; the server may stop reading a large body. */
  private RawResponse send(byte[] request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException refusedMidway) {
        // the server answered and closed before reading everything: its answer is still there
      }
      InputStream in = socket.getInputStream();
      String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return RawResponse.parse(raw);
    }
  }

  private static void assertProblem(RawResponse response, int status, String detailPart) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertProblemShape(response);
    assertThat(response.json().path("detail").asText())
        .as(response.toString())
        .containsIgnoringCase(detailPart);
  }

  private static void assertProblemShape(RawResponse response) {
    assertThat(response.header("content-type"))
        .as(response.toString())
        .startsWith("application/problem+json");
    JsonNode json = response.json();
    assertThat(json.path("status").asInt()).isEqualTo(response.status());
    assertThat(json.path("detail").asText()).isNotBlank();
    assertThat(response.body()).doesNotContain("<html", "Exception", "\tat ", "Apache Tomcat");
  }

  /** Status line, headers and body of a raw HTTP/1.1 answer (chunked bodies are joined). */
  private record RawResponse(int status, String headers, String body) {

    static RawResponse parse(String raw) {
      int split = raw.indexOf("\r\n\r\n");
      String head = split < 0 ? raw : raw.substring(0, split);
      String body = split < 0 ? "" : raw.substring(split + 4);
      String[] statusLine = head.split("\r\n", 2)[0].split(" ");
      int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1;
      if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
        body = unchunk(body);
      }
      return new RawResponse(status, head, body);
    }

    private static String unchunk(String chunked) {
      StringBuilder body = new StringBuilder();
      int at = 0;
      while (at < chunked.length()) {
        int lineEnd = chunked.indexOf("\r\n", at);
        if (lineEnd < 0) {
          break;
        }
        int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
        if (size == 0) {
          break;
        }
        body.append(chunked, lineEnd + 2, Math.min(chunked.length(), lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      return body.toString();
    }

    String header(String name) {
      for (String line : headers.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("Not JSON (status " + status + "): " + body, e);
      }
    }

    @Override
    public String toString() {
      return headers + "\n\n" + (body.length() > 2000 ? body.substring(0, 2000) + "…" : body);
    }
  }
}
