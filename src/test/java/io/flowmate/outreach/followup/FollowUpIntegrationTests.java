package io.flowmate.outreach.followup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.core.ChatId;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.messaging.Outbox;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import io.flowmate.support.TestGroups;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Follow-up rules over HTTP: created, listed with their follow-ups, read and deleted; refused with
 * a useful detail when invalid; scoped and isolated per tenant; and started by messages sent to the
 * rule's audience (only those, once per contact while one waits).
 */
class FollowUpIntegrationTests extends IntegrationTest {

  private static final String ANNA = "4915100003001";
  private static final String BEN = "4915100003002";
  private static final String CARLA = "4915100003003";
  private static final String STRANGER = "4915100003999";

  @Autowired JdbcClient jdbc;
  @Autowired Outbox outbox;

  private TestTenant tenant;
  private FollowUpApi followUps;
  private TestGroups audience;
  private UUID group;

  @BeforeEach
  void tenantWithAnAudience() {
    tenant = newTenant().allowingColdMessages();
    followUps = new FollowUpApi(tenant.api());
    audience = new TestGroups(jdbc);
    group = audience.create(tenant.id(), List.of());
    audience.member(group, ANNA, "Anna", Map.of("unpaid", "yes"));
    audience.member(group, BEN, "Ben", Map.of("unpaid", "no"));
    audience.member(group, CARLA, "Carla", Map.of("unpaid", "yes"));
  }

  @Test
  void ruleIsCreatedListedReadAndDeleted() {
    String session = tenant.workingSession();
    Map<String, Object> body =
        FollowUpApi.rule(session, group, "P1DT12H", 2, "Hi {name}, still interested?");
    body.put("filter", Map.of("unpaid", "yes"));

    Api.Response created = tenant.api().post("/api/v2/follow-ups", body);

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode rule = created.json();
    String id = rule.get("id").asText();
    assertThat(rule.get("status").asText()).isEqualTo("active");
    assertThat(rule.get("wait").asText()).isEqualTo("P1DT12H");
    assertThat(rule.get("wait_seconds").asLong()).isEqualTo(Duration.ofHours(36).toSeconds());
    assertThat(rule.get("max_rounds").asInt()).isEqualTo(2);
    assertThat(rule.get("filter").get("unpaid").asText()).isEqualTo("yes");
    assertThat(rule.get("custom_group_id").asText()).isEqualTo(group.toString());
    assertThat(rule.get("follow_ups").get("waiting").asLong()).isZero();

    Api.Response days =
        tenant.api().post("/api/v2/follow-ups", withoutWait(body, Map.of("wait_days", 3)));
    assertThat(days.status()).as(days.toString()).isEqualTo(201);
    assertThat(days.text("wait")).isEqualTo("P3D");
    Map<String, Object> defaults = FollowUpApi.rule(session, group, "PT1H", 1, "Hello again");
    defaults.remove("max_rounds");
    assertThat(tenant.api().post("/api/v2/follow-ups", defaults).json().get("max_rounds").asInt())
        .isEqualTo(1);

    Api.Response listed = tenant.api().get("/api/v2/follow-ups?limit=2");
    assertThat(listed.json().get("total").asInt()).isEqualTo(3);
    assertThat(listed.json().get("items").size()).isEqualTo(2);
    assertThat(listed.json().get("has_more").asBoolean()).isTrue();
    assertThat(tenant.api().get("/api/v2/follow-ups/" + id).text("message_content"))
        .isEqualTo("Hi {name}, still interested?");

    assertThat(tenant.api().delete("/api/v2/follow-ups/" + id).status()).isEqualTo(204);
    assertThat(tenant.api().delete("/api/v2/follow-ups/" + id).status()).isEqualTo(204);
    Api.Response deleted = tenant.api().get("/api/v2/follow-ups/" + id);
    assertThat(deleted.text("status")).isEqualTo("inactive");
    assertThat(deleted.json().get("deactivated_at").isTextual()).isTrue();
    assertThat(
            tenant
                .api()
                .get("/api/v2/follow-ups?active=true")
                .json()
                .get("items")
                .findValuesAsText("id"))
        .hasSize(2)
        .doesNotContain(id);
  }

  @Test
  void invalidRulesAreRefusedWithADetail() {
    String session = tenant.workingSession();
    Map<String, Object> valid = FollowUpApi.rule(session, group, "P3D", 1, "Hi {name}");

    assertRefused(withoutWait(valid, Map.of()), 422, "exactly one of wait");
    assertRefused(with(valid, "wait_days", 3), 422, "exactly one of wait");
    assertRefused(with(valid, "wait", "PT30M"), 422, "between 1 hour (PT1H) and 90 days");
    assertRefused(with(valid, "wait", "P120D"), 422, "between 1 hour (PT1H) and 90 days");
    assertRefused(with(valid, "wait", "3 days"), 422, "not an ISO-8601 duration");
    assertRefused(withoutWait(valid, Map.of("wait_days", 0)), 422, "wait_days");
    assertRefused(with(valid, "message_content", "x".repeat(4097)), 422, "message_content");
    assertRefused(with(valid, "message_content", " "), 422, "message_content");
    assertRefused(with(valid, "max_rounds", 6), 422, "max_rounds");
    assertRefused(with(valid, "max_rounds", 0), 422, "max_rounds");
    assertRefused(with(valid, "name", ""), 422, "name");
    assertRefused(with(valid, "session_id", "not-a-uuid"), 422, "session_id");
    assertRefused(with(valid, "custom_group_id", null), 422, "custom_group_id");
    assertRefused(with(valid, "session_id", UUID.randomUUID().toString()), 404, "Session");
    assertRefused(
        with(valid, "custom_group_id", UUID.randomUUID().toString()), 404, "Custom group");
    Api.Response badStatus =
        tenant
            .api()
            .get("/api/v2/follow-ups/" + followUps.create(valid) + "/contacts?status=sleeping");
    assertThat(badStatus.status()).isEqualTo(422);
    assertThat(badStatus.text("detail")).contains("waiting, replied, completed or cancelled");
  }

  @Test
  void followUpsNeedTheScheduledScopesAndAPlanWithScheduledMessages() {
    String session = tenant.workingSession();
    Map<String, Object> body = FollowUpApi.rule(session, group, "P3D", 1, "Hi");
    Api reader = tenant.keyWithScopes("scheduled:read");
    Api manager = tenant.keyWithScopes("scheduled:manage");

    Api.Response refused = reader.post("/api/v2/follow-ups", body);
    Api.Response created = manager.post("/api/v2/follow-ups", body);

    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.header("X-Required-Scopes")).isEqualTo("scheduled:manage");
    assertThat(created.status()).isEqualTo(201);
    assertThat(reader.get("/api/v2/follow-ups").status()).isEqualTo(200);
    assertThat(tenant.keyWithScopes("messages:send").get("/api/v2/follow-ups").status())
        .isEqualTo(403);

    TestTenant free = newTenant("free");
    String freeSession = free.workingSession();
    Api.Response onFree =
        free.api()
            .post(
                "/api/v2/follow-ups",
                FollowUpApi.rule(
                    freeSession, audience.create(free.id(), List.of()), "P3D", 1, "Hi"));
    assertThat(onFree.status()).isEqualTo(403);
    assertThat(onFree.text("detail")).contains("Free plan does not include");
  }

  @Test
  void tenantsSeeOnlyTheirOwnRules() {
    String session = tenant.workingSession();
    String id = followUps.create(FollowUpApi.rule(session, group, "P3D", 1, "Hi"));
    TestTenant other = newTenant();
    String otherSession = other.workingSession();

    assertThat(other.api().get("/api/v2/follow-ups/" + id).status()).isEqualTo(404);
    assertThat(other.api().get("/api/v2/follow-ups/" + id + "/contacts").status()).isEqualTo(404);
    assertThat(other.api().delete("/api/v2/follow-ups/" + id).status()).isEqualTo(404);
    assertThat(other.api().get("/api/v2/follow-ups").json().get("total").asInt()).isZero();
    // Another tenant's session or custom group looks the same as a missing one.
    assertThat(
            other
                .api()
                .post(
                    "/api/v2/follow-ups",
                    FollowUpApi.rule(
                        session, audience.create(other.id(), List.of()), "P3D", 1, "Hi"))
                .status())
        .isEqualTo(404);
    assertThat(
            other
                .api()
                .post("/api/v2/follow-ups", FollowUpApi.rule(otherSession, group, "P3D", 1, "Hi"))
                .status())
        .isEqualTo(404);
    assertThat(tenant.api().get("/api/v2/follow-ups/" + id).text("status")).isEqualTo("active");
  }

  @Test
  void aMessageSentToAMemberOfTheAudienceStartsOneFollowUp() {
    String session = tenant.workingSession();
    Map<String, Object> body =
        FollowUpApi.rule(session, group, "P3D", 2, "Hi {name}, did you pay?");
    body.put("filter", Map.of("unpaid", "yes"));
    String rule = followUps.create(body);

    followUps.send(session, BEN, "Your invoice"); // a member, but the filter leaves him out
    followUps.send(session, STRANGER, "Your invoice"); // not a member
    String trigger = followUps.send(session, ANNA, "Your invoice");
    followUps.send(session, ANNA, "Your invoice, again"); // one follow-up waits already

    JsonNode waiting = followUps.awaitOnly(rule, "waiting");
    assertThat(waiting.get("chat_id").asText()).isEqualTo(ANNA + "@c.us");
    assertThat(waiting.get("round").asInt()).isZero();
    assertThat(waiting.get("max_rounds").asInt()).isEqualTo(2);
    assertThat(waiting.get("trigger_message_id").asText()).isEqualTo(trigger);
    Instant sentAt = Instant.parse(tenant.api().get("/api/v2/messages/" + trigger).text("sent_at"));
    assertThat(Instant.parse(waiting.get("waiting_since").asText())).isEqualTo(sentAt);
    assertThat(Instant.parse(waiting.get("next_due_at").asText()))
        .isEqualTo(sentAt.plus(Duration.ofDays(3)));
    // A later message to a member shows that the sweep has passed the earlier ones.
    followUps.send(session, CARLA, "Your invoice");
    await().atMost(Duration.ofSeconds(15)).until(() -> followUps.followUps(rule).size() == 2);
    assertThat(followUps.followUps(rule).stream().map(f -> f.get("chat_id").asText()))
        .containsExactlyInAnyOrder(ANNA + "@c.us", CARLA + "@c.us");
    Api.Response listed = tenant.api().get("/api/v2/follow-ups");
    assertThat(listed.json().get("items").get(0).get("follow_ups").get("waiting").asInt())
        .isEqualTo(2);
    assertThat(
            tenant
                .api()
                .get("/api/v2/follow-ups/" + rule + "/contacts?status=waiting")
                .json()
                .get("total")
                .asInt())
        .isEqualTo(2);
    assertThat(
            tenant
                .api()
                .get("/api/v2/follow-ups/" + rule + "/contacts?status=replied")
                .json()
                .get("total")
                .asInt())
        .isZero();
  }

  @Test
  void onlyMessagesSentAfterTheRuleExistedAndNotByFollowUpsStartFollowUps() {
    String session = tenant.workingSession();
    followUps.send(session, ANNA, "Sent before the rule");
    String rule = followUps.create(FollowUpApi.rule(session, group, "P3D", 1, "Hi"));
    UUID earlierFollowUp = UUID.randomUUID();
    outbox.enqueue(
        new Outbox.Batch(
            TenantId.of(tenant.id()),
            SessionId.of(UUID.fromString(session)),
            new Outbox.Origin("follow_up", earlierFollowUp),
            List.of(
                new Outbox.Outgoing(
                    ChatId.parse(BEN),
                    Outbox.Content.text("A follow-up"),
                    "test-" + earlierFollowUp)),
            false,
            true,
            null));
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() ->
            outbox
                .countByStatus(new Outbox.Origin("follow_up", earlierFollowUp))
                .containsKey("read"));

    followUps.send(session, CARLA, "Sent after the rule");

    JsonNode only = followUps.awaitOnly(rule, "waiting");
    assertThat(only.get("chat_id").asText()).isEqualTo(CARLA + "@c.us");
  }

  @Test
  void aReplyStopsTheFollowUpAtOnce() {
    String session = tenant.workingSession();
    String rule = followUps.create(FollowUpApi.rule(session, group, "P3D", 1, "Hi"));
    followUps.send(session, ANNA, "Your invoice");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() ->
            followUps.followUps(rule).stream()
                .anyMatch(f -> f.get("process_instance_key").isNumber()));

    tenant.contactWrites(session, ANNA, "Paid yesterday");

    JsonNode replied = followUps.awaitOnly(rule, "replied");
    assertThat(replied.get("ended_at").isTextual()).isTrue();
    assertThat(replied.get("next_due_at").isNull()).isTrue();
    assertThat(
            tenant
                .api()
                .get("/api/v2/follow-ups/" + rule)
                .json()
                .get("follow_ups")
                .get("replied")
                .asInt())
        .isEqualTo(1);
  }

  @Test
  void aReplyFromTheContactsLinkedIdStopsItToo() {
    String session = tenant.workingSession();
    String rule = followUps.create(FollowUpApi.rule(session, group, "P3D", 1, "Hi"));
    followUps.send(session, CARLA, "Your invoice");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() ->
            followUps.followUps(rule).stream()
                .anyMatch(f -> f.get("process_instance_key").isNumber()));
    String lid =
        tenant
            .api()
            .post(
                "/api/v2/simulator/sessions/" + session + "/contacts/" + CARLA + "/migrate-to-lid")
            .text("lid");

    tenant.contactWrites(session, CARLA, "Paid, see attached");

    assertThat(lid).endsWith("@lid");
    JsonNode replied = followUps.awaitOnly(rule, "replied");
    assertThat(replied.get("chat_id").asText()).isEqualTo(CARLA + "@c.us");
  }

  private void assertRefused(Map<String, Object> body, int status, String detail) {
    Api.Response refused = tenant.api().post("/api/v2/follow-ups", body);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(status);
    assertThat(refused.text("detail")).as(refused.toString()).contains(detail);
  }

  private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
    Map<String, Object> changed = new HashMap<>(body);
    changed.put(field, value);
    return changed;
  }

  private static Map<String, Object> withoutWait(
      Map<String, Object> body, Map<String, Object> instead) {
    Map<String, Object> changed = new HashMap<>(body);
    changed.remove("wait");
    changed.putAll(instead);
    return changed;
  }
}
