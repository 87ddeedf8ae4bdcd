package io.flowmate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowmate.gateway.waha.FakeWaha;
import io.flowmate.support.IntegrationTest;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * Inbound ingest as WAHA drives it: signed {@code message} webhooks posted to {@code
 * /webhooks/waha} over HTTP by concurrent senders, one in ten a redelivery of an earlier event
 * (WAHA's retries). Each is verified (HMAC-SHA512 over the raw bytes), normalised and stored with
 * its contact and chat before the answer; redeliveries are stored once. Target: at least 2,000
 * events/s.
 */
@Tag("benchmark")
@ContextConfiguration(initializers = FakeWaha.Properties.class)
@TestPropertySource(properties = {"logging.level.io.flowmate=WARN"})
class InboundBenchmark extends IntegrationTest {

  private static final int EVENTS = Integer.getInteger("bench.events", 100_000);
  private static final int REDELIVERY_EVERY = 10;
  private static final int CONTACTS = 20_000;
  private static final int SENDERS = Integer.getInteger("bench.senders", 8);
  private static final int BASELINE_EVENTS = 20_000;

  @Autowired JdbcClient jdbc;
  private final FakeWaha waha = FakeWaha.shared();
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void ingestsSignedWebhooksOverHttp() throws Exception {
    waha.webhookTarget(URI.create("http://127.0.0.1:" + port + "/webhooks/waha"));
    TestTenant tenant = newTenant();
    String session =
        tenant.api().post("/api/v2/sessions", Map.of("name", "inbound-bench")).text("id");
    String name = "fm_" + session.replace("-", "");
    tenant.api().post("/api/v2/sessions/" + session + "/start");
    await()
        .until(
            () -> "qr_code".equals(tenant.api().get("/api/v2/sessions/" + session).text("status")));
    waha.scanQrCode(name);
    await()
        .until(
            () -> "working".equals(tenant.api().get("/api/v2/sessions/" + session).text("status")));

    List<byte[]> deliveries = new ArrayList<>(EVENTS);
    int unique = 0;
    for (int i = 0; i < EVENTS; i++) {
      if (i % REDELIVERY_EVERY == REDELIVERY_EVERY - 1) {
        deliveries.add(deliveries.get(i / 2)); // the same bytes again, as WAHA's retry sends them
      } else {
        deliveries.add(waha.envelope(name, "message", incoming(unique++)));
      }
    }
    List<String> signatures = deliveries.stream().map(InboundBenchmark::sign).toList();

    // Baseline: the same HTTP, signature check and parsing for a session Flowmate does not know,
    // answered 202 without storing anything. Run twice: the first run warms the JIT up.
    List<byte[]> unknown =
        deliveries.stream().limit(BASELINE_EVENTS).map(body -> retarget(body, "default")).toList();
    List<String> unknownSignatures = unknown.stream().map(InboundBenchmark::sign).toList();
    post(unknown, unknownSignatures, 202);
    long baselineNanos = post(unknown, unknownSignatures, 202);

    long elapsed = post(deliveries, signatures, 200);

    long stored =
        jdbc.sql(
                "SELECT count(*) FROM messaging_message WHERE session_id = :session AND direction = 'inbound'")
            .param("session", UUID.fromString(session))
            .query(Long.class)
            .single();
    long contacts =
        jdbc.sql("SELECT count(*) FROM messaging_contact WHERE tenant_id = :tenant")
            .param("tenant", tenant.id())
            .query(Long.class)
            .single();
    double perSecond = Benchmarks.perSecond(EVENTS, elapsed);
    double baseline = Benchmarks.perSecond(unknown.size(), baselineNanos);
    Benchmarks.report(
        "Inbound ingest (signed WAHA webhooks over HTTP, " + SENDERS + " concurrent senders)",
        Benchmarks.rate(
            "webhook events verified and stored (answered after the write)", EVENTS, elapsed),
        String.format(
            Locale.ROOT,
            "stored %,d messages from %,d events (%,d redeliveries dropped), %,d contacts",
            stored,
            EVENTS,
            EVENTS - unique,
            contacts),
        Benchmarks.rate(
            "baseline: verified and answered, nothing stored (unknown session)",
            unknown.size(),
            baselineNanos),
        String.format(Locale.ROOT, "ratio stored / baseline: %.2f", perSecond / baseline),
        String.format(
            Locale.ROOT, "target >= 2,000 events/s: %s", perSecond >= 2_000 ? "met" : "NOT met"));
    assertThat(stored).isEqualTo(unique);
    assertThat(contacts).isEqualTo(Math.min(unique, CONTACTS));
  }

  /**
   * Posts the bodies from concurrent senders, each over one kept-alive connection as WAHA's webhook
   * sender does; answers the time taken. Every answer must have the expected status. A plain socket
   * client: the JDK's HttpClient would use as much CPU as the server on two cores.
   */
  private long post(List<byte[]> bodies, List<String> signatures, int expected) throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicLong unexpected = new AtomicLong();
    Map<Integer, AtomicLong> statuses = new java.util.concurrent.ConcurrentHashMap<>();
    AtomicLong retried = new AtomicLong();
    ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    long start = System.nanoTime();
    List<Future<?>> running = new ArrayList<>();
    for (int s = 0; s < SENDERS; s++) {
      running.add(
          senders.submit(() -> {
            Connection connection = null;
            try {
              for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                // A redelivery that overtakes its first delivery is answered 503 while that one is
                // still being stored; WAHA then delivers it again, and so does this sender.
                for (int attempt = 1; ; attempt++) {
                  if (connection == null) {
                    connection = new Connection(port);
                  }
                  byte[] body = bodies.get(i);
                  connection.out.write(
                      ("POST /webhooks/waha HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              + "Content-Type: application/json\r\nX-Webhook-Hmac: "
                              + signatures.get(i)
                              + "\r\nX-Webhook-Hmac-Algorithm: sha512\r\nContent-Length: "
                              + body.length
                              + "\r\n\r\n")
                          .getBytes(StandardCharsets.US_ASCII));
                  connection.out.write(body);
                  connection.out.flush();
                  Answer answer = read(connection.in);
                  if (answer.closing()) { // Tomcat ends a kept-alive connection after 100 requests
                    connection.close();
                    connection = null;
                  }
                  if (answer.status() == 503 && expected != 503 && attempt < 50) {
                    retried.incrementAndGet();
                    Thread.sleep(20);
                    continue;
                  }
                  if (answer.status() != expected) {
                    unexpected.incrementAndGet();
                    statuses
                        .computeIfAbsent(answer.status(), status -> new AtomicLong())
                        .incrementAndGet();
                  }
                  break;
                }
              }
            } finally {
              if (connection != null) {
                connection.close();
              }
            }
            return null;
          }));
    }
    for (Future<?> sender : running) {
      sender.get();
    }
    long elapsed = System.nanoTime() - start;
    senders.shutdown();
    assertThat(unexpected.get())
        .as("webhooks not answered %d (by status: %s)", expected, statuses)
        .isZero();
    if (retried.get() > 0) {
      System.out.printf(
          Locale.ROOT,
          "  (%,d deliveries answered 503 while their first delivery was in flight, sent again)%n",
          retried.get());
    }
    return elapsed;
  }

  private static final class Connection implements AutoCloseable {
    final Socket socket;
    final OutputStream out;
    final InputStream in;

    Connection(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      out = new BufferedOutputStream(socket.getOutputStream());
      in = new BufferedInputStream(socket.getInputStream());
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private record Answer(int status, boolean closing) {}

  /** Reads one HTTP/1.1 response (status line, headers, a Content-Length or chunked body). */
  private static Answer read(InputStream in) throws IOException {
    String statusLine = line(in);
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    int length = 0;
    boolean chunked = false;
    boolean closing = false;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(lower.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        closing = true;
      }
    }
    if (chunked) {
      for (int size = Integer.parseInt(line(in).trim(), 16);
          size > 0;
          size = Integer.parseInt(line(in).trim(), 16)) {
        in.readNBytes(size);
        line(in);
      }
      line(in);
    } else {
      in.readNBytes(length);
    }
    return new Answer(status, closing);
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder text = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new EOFException("connection closed by the server");
      }
      if (c != '\r') {
        text.append((char) c);
      }
    }
    return text.toString();
  }

  /** The envelope for another WAHA session (and without Flowmate's metadata). */
  private byte[] retarget(byte[] body, String session) {
    try {
      ObjectNode envelope = (ObjectNode) json.readTree(body);
      envelope.put("session", session);
      envelope.remove("metadata");
      return json.writeValueAsBytes(envelope);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A text from one of the contacts, shaped like WAHA's {@code message} payload. */
  private ObjectNode incoming(int n) {
    String from = String.format(Locale.ROOT, "4917%09d@c.us", n % CONTACTS);
    ObjectNode message = json.createObjectNode();
    message.put("id", "false_" + from + "_BENCH" + n);
    message.put("timestamp", Instant.now().getEpochSecond());
    message.put("from", from);
    message.put("fromMe", false);
    message.put("source", "app");
    message.put("body", "Hi! Is the blue jacket still available in size " + (36 + n % 10) + "?");
    message.put("hasMedia", false);
    message.putObject("_data").put("notifyName", "Customer " + (n % CONTACTS));
    return message;
  }

  /** WAHA's signature: hex HMAC-SHA512 of the exact bytes with the shared secret. */
  private static String sign(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA512");
      mac.init(new SecretKeySpec(FakeWaha.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
