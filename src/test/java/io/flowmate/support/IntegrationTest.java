package io.flowmate.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole application over real HTTP, on a real PostgreSQL and the embedded engine. Test classes
 * with the same configuration share one application context (and its database); each test works in
 * tenants of its own, so tests never see each other's data.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class IntegrationTest {

  /** The operator key configured in application-test.yml as the bootstrap key. */
  public static final String OPERATOR_KEY = "fm_OperatorKeyForTests0123456789abcdefghij";

  @LocalServerPort protected int port;

  /** Runs once for every application context created: each gets a database of its own. */
  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.newDatabase()
        .asProperties()
        .forEach((name, value) -> registry.add(name, () -> value));
  }

  protected Api operator() {
    return new Api("http://localhost:" + port, OPERATOR_KEY);
  }

  protected Api anonymous() {
    return new Api("http://localhost:" + port, null);
  }

  /** A new tenant on the given plan, with a client holding its admin key (scopes {@code *}). */
  protected TestTenant newTenant(String plan) {
    Api.Response created =
        operator()
            .post(
                "/api/v2/admin/tenants",
                Map.of("name", "t-" + UUID.randomUUID().toString().substring(0, 8), "plan", plan));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return new TestTenant(
        UUID.fromString(created.json().get("tenant").get("id").asText()),
        created.text("admin_api_key"),
        new Api("http://localhost:" + port, created.text("admin_api_key")));
  }

  protected TestTenant newTenant() {
    return newTenant("business");
  }

  public record TestTenant(UUID id, String adminKey, Api api) {

    /** Creates a key of this tenant with exactly these scopes. */
    public Api keyWithScopes(String... scopes) {
      Api.Response key =
          api.post(
              "/api/v2/api-keys", Map.of("name", "scoped", "scopes", java.util.List.of(scopes)));
      assertThat(key.status()).as(key.toString()).isEqualTo(201);
      return api.withKey(key.text("raw_key"));
    }

    /**
     * Lets the tenant message numbers that never wrote to it (reciprocity_check off), for tests
     * about something else than that guard.
     */
    public TestTenant allowingColdMessages() {
      Api.Response patched =
          api.patch("/api/v2/tenant/settings", Map.of("reciprocity_check", false));
      assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
      return this;
    }

    /** A contact writes to the session, as a simulated phone; returns WhatsApp's message id. */
    public String contactWrites(String session, String phone, String text) {
      Api.Response inbound =
          api.post(
              "/api/v2/simulator/sessions/" + session + "/inbound",
              Map.of("from", phone, "message", text));
      assertThat(inbound.status()).as(inbound.toString()).isEqualTo(202);
      return inbound.text("wa_message_id");
    }

    /**
     * A WhatsApp group of the session's number with these participants, in the simulator; its id.
     */
    public String simulatedGroup(String session, String subject, String... participants) {
      Api.Response created =
          api.post(
              "/api/v2/simulator/sessions/" + session + "/groups",
              Map.of("subject", subject, "participants", java.util.List.of(participants)));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      return created.text("group_id");
    }

    /** A participant writes in a group of the session, as a simulated phone ("Sender <phone>"). */
    public void groupMessage(String session, String group, String from, String text) {
      Api.Response sent =
          api.post(
              "/api/v2/simulator/sessions/" + session + "/inbound",
              Map.of(
                  "from",
                  from,
                  "group_id",
                  group,
                  "message",
                  text,
                  "sender_name",
                  "Sender " + from));
      assertThat(sent.status()).as(sent.toString()).isEqualTo(202);
    }

    /** The texts the simulated WhatsApp accepted from this session, oldest first. */
    public java.util.List<String> deliveredTexts(String session) {
      return api.get("/api/v2/simulator/sessions/" + session + "/deliveries")
          .json()
          .findValuesAsText("body");
    }

    /** Waits until the message has the status (acks arrive asynchronously). */
    public void awaitMessageStatus(String messageId, String status) {
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(15))
          .untilAsserted(() ->
              assertThat(api.get("/api/v2/messages/" + messageId).text("status"))
                  .as(() -> api.get("/api/v2/messages/" + messageId).body())
                  .isEqualTo(status));
    }

    /** Creates a session and starts it; the simulator pairs at once in tests. */
    public String workingSession() {
      Api.Response session = api.post("/api/v2/sessions", Map.of("name", "s-" + UUID.randomUUID()));
      assertThat(session.status()).as(session.toString()).isEqualTo(201);
      String id = session.text("id");
      assertThat(api.post("/api/v2/sessions/" + id + "/start").status()).isEqualTo(200);
      awaitSessionStatus(id, "working");
      return id;
    }

    /** Waits until the session has the status (the transport reports it asynchronously). */
    public void awaitSessionStatus(String sessionId, String status) {
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> status.equals(api.get("/api/v2/sessions/" + sessionId).text("status")));
    }
  }
}
