package io.flowmate.core.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.support.Api;
import io.flowmate.support.EventStream;
import io.flowmate.support.IntegrationTest;
import org.junit.jupiter.api.Test;

/** Attacks on live event streams (SSE): keys in URLs, stolen tickets, slow readers, scope leaks. */
class EventStreamAttackTests extends IntegrationTest {

  /** A long-lived API key in the stream URL ({@code ?token=}), where proxies and logs keep it. */
  @Test
  void aRawKeyInTheStreamUrlIsRefused() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();

    try (EventStream stream =
        EventStream.open(port, "/api/v2/sessions/" + session + "/events?token=" + tenant.adminKey())) {
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

    try (EventStream first = EventStream.open(port, "/api/v2/sessions/" + session + "/events?ticket=" + ticket);
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

    assertThat(anonymous().withKey(EventStream.ticket(tenant.api())).get("/api/v2/sessions").status())
        .isEqualTo(401);
    assertThat(anonymous().get("/api/v2/sessions?ticket=" + EventStream.ticket(tenant.api())).status())
        .isEqualTo(401);
    assertThat(
            anonymous().post("/api/v2/stream-ticket?ticket=" + EventStream.ticket(tenant.api())).status())
        .isEqualTo(401);
  }

  /** A ticket made by a narrow key opens a stream that needs scopes the key lacks. */
  @Test
  void aTicketCarriesTheScopesOfTheKeyThatMadeIt() {
    TestTenant tenant = newTenant();
    Api sessionsOnly = tenant.keyWithScopes("sessions:read");

    try (EventStream stream =
        EventStream.open(port, "/api/v2/messages/events?ticket=" + EventStream.ticket(sessionsOnly))) {
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
        tenant.api().post("/api/v2/api-keys", java.util.Map.of("name", "x", "scopes", java.util.List.of("sessions:read")));
    String ticket = EventStream.ticket(tenant.api().withKey(created.text("raw_key")));
    assertThat(tenant.api().delete("/api/v2/api-keys/" + created.text("id")).status()).isEqualTo(204);

    try (EventStream stream = EventStream.open(port, "/api/v2/sessions/" + session + "/events?ticket=" + ticket)) {
      stream.awaitEnd();

      assertThat(stream.status()).isEqualTo(401);
    }
  }
}
