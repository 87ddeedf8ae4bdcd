package io.flowmate.core.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowmate.core.ChatId;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.gateway.simulator.SimulatorTransport;
import io.flowmate.gateway.spi.TransportEvent.InboundContent;
import io.flowmate.support.Api;
import io.flowmate.support.EventStream;
import io.flowmate.support.IntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Attacks on live event streams (SSE): keys in URLs, stolen tickets, slow readers, scope leaks. */
class EventStreamAttackTests extends IntegrationTest {

  @Autowired LiveEvents live;
  @Autowired SimulatorTransport simulator;
  @Autowired JdbcClient jdbc;
  @Autowired TransactionTemplate transaction;

  /** A long-lived API key in the stream URL ({@code ?token=}), where proxies and logs keep it. */
  @Test
  void aRawKeyInTheStreamUrlIsRefused() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();

    try (EventStream stream =
        EventStream.open(
            port, "/api/v2/sessions/" + session + "/events?token=" + tenant.adminKey())) {
      stream.awaitEnd();

      assertThat(stream.status()).isEqualTo(401);
      assertThat(stream.contentType()).startsWith("application/problem+json");
      assertThat(stream.body()).contains("stream-ticket").doesNotContain(tenant.adminKey());
    }
  }

  /** A stream ticket seen in a proxy log is replayed to open a second stream. */
  @Test
  void aTicketOpensOneStreamOnly() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    String ticket = EventStream.ticket(tenant.api());

    try (EventStream first =
            EventStream.open(port, "/api/v2/sessions/" + session + "/events?ticket=" + ticket);
        EventStream replay =
            EventStream.open(port, "/api/v2/sessions/" + session + "/events?ticket=" + ticket)) {
      first.awaitConnected();
      replay.awaitEnd();

      assertThat(first.status()).isEqualTo(200);
      assertThat(replay.status()).isEqualTo(401);
      assertThat(replay.body()).contains("ticket");
    }
  }

  /** A stream ticket used as an API key for ordinary calls, in the header or in the query. */
  @Test
  void aTicketOnlyOpensEventStreams() {
    TestTenant tenant = newTenant();

    assertThat(
            anonymous().withKey(EventStream.ticket(tenant.api())).get("/api/v2/sessions").status())
        .isEqualTo(401);
    assertThat(
            anonymous().get("/api/v2/sessions?ticket=" + EventStream.ticket(tenant.api())).status())
        .isEqualTo(401);
    assertThat(
            anonymous()
                .post("/api/v2/stream-ticket?ticket=" + EventStream.ticket(tenant.api()))
                .status())
        .isEqualTo(401);
  }

  /** A ticket made by a narrow key opens a stream that needs scopes the key lacks. */
  @Test
  void aTicketCarriesTheScopesOfTheKeyThatMadeIt() {
    TestTenant tenant = newTenant();
    Api sessionsOnly = tenant.keyWithScopes("sessions:read");

    try (EventStream stream =
        EventStream.open(
            port, "/api/v2/messages/events?ticket=" + EventStream.ticket(sessionsOnly))) {
      stream.awaitEnd();

      assertThat(stream.status()).isEqualTo(403);
      assertThat(stream.body()).contains("messages:read");
    }
  }

  /** A ticket made before its key was revoked still opens a stream afterwards. */
  @Test
  void aRevokedKeysTicketIsRefused() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    Api.Response created =
        tenant
            .api()
            .post("/api/v2/api-keys", Map.of("name", "x", "scopes", List.of("sessions:read")));
    String ticket = EventStream.ticket(tenant.api().withKey(created.text("raw_key")));
    assertThat(tenant.api().delete("/api/v2/api-keys/" + created.text("id")).status())
        .isEqualTo(204);

    try (EventStream stream =
        EventStream.open(port, "/api/v2/sessions/" + session + "/events?ticket=" + ticket)) {
      stream.awaitEnd();

      assertThat(stream.status()).isEqualTo(401);
    }
  }

  /**
   * A client opens a stream and never reads it while its number receives a flood: recording of
   * incoming messages must go on for every tenant, and the slow stream is dropped with a last
   * event.
   */
  @Test
  void aStreamThatIsNeverReadStallsNobodyAndIsDropped() throws Exception {
    TestTenant attacker = newTenant();
    TestTenant victim = newTenant();
    UUID attackerSession = UUID.fromString(attacker.workingSession());
    UUID victimSession = UUID.fromString(victim.workingSession());
    attacker.api().patch("/api/v2/tenant/settings", Map.of("chat_history_access_enabled", true));
    TenantId attackerTenant = TenantId.of(attacker.id());

    try (Socket slow = new Socket()) {
      slow.setReceiveBufferSize(1024);
      slow.connect(new InetSocketAddress("localhost", port));
      String path =
          "/api/v2/sessions/"
              + attackerSession
              + "/events?ticket="
              + EventStream.ticket(attacker.api());
      slow.getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      await().atMost(Duration.ofSeconds(5)).until(() -> live.openStreams(attackerTenant) == 1);

      // Inbound traffic as WhatsApp delivers it (not through the rate-limited API), at most a few
      // hundred messages ahead of what is recorded.
      AtomicBoolean flooding = new AtomicBoolean(true);
      AtomicInteger sent = new AtomicInteger();
      Thread flood =
          Thread.ofPlatform()
              .start(() -> {
                while (flooding.get() && sent.get() < 20_000) {
                  for (int i = 0; i < 100; i++) {
                    simulator.receive(
                        SessionId.of(attackerSession),
                        ChatId.parse("4915100%06d".formatted(sent.incrementAndGet())),
                        null,
                        null,
                        new InboundContent("text", "flood", null, null, null, Map.of()));
                  }
                  await()
                      .atMost(Duration.ofMinutes(2))
                      .until(() -> !flooding.get() || inbound(attackerSession) >= sent.get() - 300);
                }
              });
      try {
        List<Long> victimMillis = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (live.openStreams(attackerTenant) > 0 && System.nanoTime() < deadline) {
          long start = System.nanoTime();
          int before = inbound(victimSession);
          simulator.receive(
              SessionId.of(victimSession),
              ChatId.parse("4915200000001"),
              null,
              null,
              new InboundContent("text", "hello", null, null, null, Map.of()));
          await().atMost(Duration.ofSeconds(10)).until(() -> inbound(victimSession) > before);
          victimMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }

        assertThat(victimMillis)
            .as("the victim's messages are recorded without waiting")
            .allMatch(ms -> ms < 5_000);
        assertThat(live.openStreams(attackerTenant)).as("the slow stream is dropped").isZero();
      } finally {
        flooding.set(false);
        flood.join(TimeUnit.MINUTES.toMillis(2));
      }
      slow.setSoTimeout(30_000);
      String rest = readToEnd(slow.getInputStream());
      assertThat(rest).contains("event:stream.dropped");
    }
  }

  private int inbound(UUID session) {
    return jdbc.sql(
            "SELECT count(*) FROM messaging_message WHERE session_id = :session AND direction = 'inbound'")
        .param("session", session)
        .query(Integer.class)
        .single();
  }

  /** One tenant opens streams without end to tie up the server's connections and threads. */
  @Test
  void aTenantsOpenStreamsAreCapped() {
    TestTenant tenant = newTenant();
    TestTenant other = newTenant();
    List<EventStream> streams = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        EventStream stream = EventStream.withTicket(port, tenant.api(), "/api/v2/messages/events");
        streams.add(stream);
        stream.awaitConnected();
      }
      EventStream refused = EventStream.withTicket(port, tenant.api(), "/api/v2/messages/events");
      streams.add(refused);
      refused.awaitEnd();
      EventStream others = EventStream.withTicket(port, other.api(), "/api/v2/messages/events");
      streams.add(others);

      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.contentType()).startsWith("application/problem+json");
      assertThat(refused.body()).contains("20");
      others.awaitConnected();
      assertThat(others.status()).isEqualTo(200);
    } finally {
      streams.forEach(EventStream::close);
    }
  }

  /** A sessions:read key's session stream carries message events: contents and phone numbers. */
  @Test
  void aSessionsReadStreamCarriesNoMessagesNorPhoneNumbers() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    tenant.api().patch("/api/v2/tenant/settings", Map.of("chat_history_access_enabled", true));
    Api sessionsOnly = tenant.keyWithScopes("sessions:read");
    String path = "/api/v2/sessions/" + session + "/events";

    try (EventStream narrow = EventStream.withTicket(port, sessionsOnly, path);
        EventStream full = EventStream.withTicket(port, tenant.api(), path)) {
      narrow.awaitConnected();
      full.awaitConnected();
      tenant.contactWrites(session, "4915123450001", "my private words");
      full.awaitLine("event:message.received"::equals);
      tenant.api().post("/api/v2/sessions/" + session + "/stop");
      narrow.awaitLine(l -> l.startsWith("data:") && l.contains("\"status\":\"stopped\""));

      assertThat(full.body()).contains("4915123450001");
      assertThat(narrow.lines()).noneMatch(l -> l.startsWith("event:message."));
      assertThat(narrow.body()).doesNotContain("4915123450001").doesNotContain("private");
    }
  }

  /** Received messages stream to a tenant that never opted in to chat history access. */
  @Test
  void receivedMessagesStreamOnlyWithChatHistoryAccess() {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = tenant.workingSession();

    try (EventStream stream =
        EventStream.withTicket(port, tenant.api(), "/api/v2/messages/events")) {
      stream.awaitConnected();
      tenant.contactWrites(session, "4915123450002", "before the opt-in");
      String sent =
          tenant
              .api()
              .post(
                  "/api/v2/messages/send",
                  Map.of("session_id", session, "chat_id", "4915123450003", "message", "ours"))
              .text("id");
      stream.awaitLine(l -> l.startsWith("data:") && l.contains(sent));

      assertThat(stream.lines()).noneMatch("event:message.received"::equals);
      assertThat(stream.body()).doesNotContain("4915123450002");

      tenant.api().patch("/api/v2/tenant/settings", Map.of("chat_history_access_enabled", true));
      tenant.contactWrites(session, "4915123450004", "after the opt-in");
      stream.awaitLine(l -> l.startsWith("data:") && l.contains("4915123450004"));
    }
  }

  /**
   * A change whose transaction rolls back is announced anyway: clients see a state that never was.
   */
  @Test
  void eventsAreAnnouncedOnlyOnceTheirTransactionCommits() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    TenantId id = TenantId.of(tenant.id());
    UUID sessionId = UUID.fromString(session);

    try (EventStream stream =
        EventStream.withTicket(port, tenant.api(), "/api/v2/sessions/" + session + "/events")) {
      stream.awaitConnected();
      transaction.executeWithoutResult(status -> {
        live.publish(id, sessionId, "session.status", Map.of("status", "rolled-back"));
        status.setRollbackOnly();
      });
      transaction.executeWithoutResult(
          status -> live.publish(id, sessionId, "session.status", Map.of("status", "committed")));
      // Each stream gets its events in order: had the first been sent, it would be there by now.
      stream.awaitLine(l -> l.contains("\"committed\""));

      assertThat(stream.body()).doesNotContain("rolled-back");
    }
  }

  /** Reads what the server still sends until it closes the connection. */
  private static String readToEnd(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[65536];
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try {
      for (int n = in.read(buffer); n >= 0 && System.nanoTime() < deadline; n = in.read(buffer)) {
        all.write(buffer, 0, n);
        if (all.toString(StandardCharsets.UTF_8).contains("event:stream.dropped")) {
          break;
        }
      }
    } catch (SocketTimeoutException e) {
      // What came so far is all there is.
    }
    return all.toString(StandardCharsets.UTF_8);
  }
}
