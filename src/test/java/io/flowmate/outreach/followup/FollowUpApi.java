package io.flowmate.outreach.followup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.support.Api;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The follow-up API as tests use it: rules, a message that triggers, the contacts' follow-ups. */
record FollowUpApi(Api api) {

  /** A rule body: one round after the wait, with a personalised text. */
  static Map<String, Object> rule(
      String session, UUID group, String wait, int maxRounds, String text) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "no reply in " + wait);
    body.put("session_id", session);
    body.put("custom_group_id", group.toString());
    body.put("wait", wait);
    body.put("message_content", text);
    body.put("max_rounds", maxRounds);
    return body;
  }

  String create(Map<String, Object> body) {
    Api.Response created = api.post("/api/v2/follow-ups", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  /** Sends a text to the phone and waits until WhatsApp accepted it. */
  String send(String session, String phone, String text) {
    Api.Response sent =
        api.post(
            "/api/v2/messages/send",
            Map.of("session_id", session, "chat_id", phone, "message", text));
    assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
    String id = sent.text("id");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> api.get("/api/v2/messages/" + id).json().get("sent_at").isTextual());
    return id;
  }

  /** The rule's follow-ups, newest first. */
  List<JsonNode> followUps(String ruleId) {
    Api.Response listed = api.get("/api/v2/follow-ups/" + ruleId + "/contacts");
    assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
    List<JsonNode> items = new ArrayList<>();
    listed.json().get("items").forEach(items::add);
    return items;
  }

  /** Waits until the rule has exactly one follow-up and it has the status; returns it. */
  JsonNode awaitOnly(String ruleId, String status) {
    return await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> followUps(ruleId),
            items -> items.size() == 1 && status.equals(items.getFirst().get("status").asText()))
        .getFirst();
  }

  /** Waits until the follow-up (the rule's only one) has the status and round. */
  JsonNode awaitOnly(String ruleId, String status, int round) {
    return await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> followUps(ruleId),
            items ->
                items.size() == 1
                    && status.equals(items.getFirst().get("status").asText())
                    && items.getFirst().get("round").asInt() == round)
        .getFirst();
  }
}
