package io.flowmate.leads.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Leads move on by themselves as the status decision says, from what happens in their chats: a
 * message we send makes a new lead contacted, a reply qualifies a hot lead (score 7+) and leaves a
 * cooler one where it is; people who are no lead change nothing. Each automatic move is in the
 * lead's timeline with its cause. Scores are fixed here (no scoring runs) so that only the activity
 * rules act.
 */
@TestPropertySource(properties = "flowmate.leads.scoring.interval=1h")
class LeadAutomationIntegrationTests extends IntegrationTest {

  private TestTenant tenant;
  private String session;

  @BeforeEach
  void workingTenant() {
    tenant = newTenant().allowingColdMessages();
    session = tenant.workingSession();
  }

  private String lead(String phone, int score) {
    Api.Response created =
        tenant
            .api()
            .post(
                "/api/v2/leads",
                Map.of(
                    "contact_phone", phone, "contact_name", "Lead " + phone, "lead_score", score));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  private void send(String phone, String text) {
    Api.Response sent =
        tenant
            .api()
            .post(
                "/api/v2/messages/send",
                Map.of("session_id", session, "chat_id", phone + "@c.us", "message", text));
    assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
  }

  private JsonNode read(String lead) {
    return tenant.api().get("/api/v2/leads/" + lead).json();
  }

  private String awaitStatus(String lead, String status) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> read(lead).get("lead_status").asText().equals(status));
    return status;
  }

  /**
   * The sweep reads chats in the order they changed: once a message sent now has moved a fresh
   * lead, everything recorded before has been through it.
   */
  private void awaitSweptPastEverythingRecorded(String markerPhone) {
    String marker = lead(markerPhone, 5);
    send(markerPhone, "Hello");
    awaitStatus(marker, "contacted");
  }

  private static List<JsonNode> automaticMoves(JsonNode lead) {
    return StreamSupport.stream(lead.get("timeline").spliterator(), false)
        .filter(entry -> "status_changed".equals(entry.get("kind").asText()))
        .filter(entry -> "automatic".equals(entry.get("actor").asText()))
        .toList();
  }

  @Test
  void aMessageWeSendMakesANewLeadContactedAndAHotLeadsReplyQualifiesIt() {
    String lead = lead("4915100040001", 9);

    send("4915100040001", "Hi, you asked about the flat in Porto");
    awaitStatus(lead, "contacted");

    tenant.contactWrites(session, "4915100040001", "Yes! Can I see it on Saturday?");
    awaitStatus(lead, "qualified");

    JsonNode qualified = read(lead);
    List<JsonNode> moves = automaticMoves(qualified);
    assertThat(moves).hasSize(2);
    assertThat(moves.get(0).get("from_status").asText()).isEqualTo("contacted");
    assertThat(moves.get(0).get("to_status").asText()).isEqualTo("qualified");
    assertThat(moves.get(0).get("detail").asText()).contains("replied");
    assertThat(moves.get(1).get("from_status").asText()).isEqualTo("new");
    assertThat(moves.get(1).get("to_status").asText()).isEqualTo("contacted");
    assertThat(moves.get(1).get("detail").asText()).contains("sent");
    assertThat(qualified.get("timeline").findValuesAsText("kind"))
        .contains("message_sent", "message_received");
  }

  @Test
  void aCoolerLeadsReplyLeavesItContactedAndWritingFirstIsNoReply() {
    String cool = lead("4915100040002", 5);
    String wroteFirst = lead("4915100040003", 9);

    tenant.contactWrites(session, "4915100040003", "Hello, is this the agency?");
    send("4915100040002", "Hi, still looking for a flat?");
    awaitStatus(cool, "contacted");
    tenant.contactWrites(session, "4915100040002", "Maybe later");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> read(cool).get("timeline").toString().contains("Maybe later"));
    awaitSweptPastEverythingRecorded("4915100040004");

    assertThat(read(cool).get("lead_status").asText()).isEqualTo("contacted");
    assertThat(read(wroteFirst).get("lead_status").asText()).isEqualTo("new");
    assertThat(automaticMoves(read(wroteFirst))).isEmpty();
  }

  @Test
  void aLeadFurtherAlongIsNotMovedBackByAMessage() {
    String lead = lead("4915100040005", 9);
    assertThat(
            tenant
                .api()
                .patch("/api/v2/leads/" + lead + "/status", Map.of("status", "converted"))
                .status())
        .isEqualTo(200);
    send("4915100040005", "Thanks for your order!");
    tenant.contactWrites(session, "4915100040005", "Thank you");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> read(lead).get("timeline").toString().contains("Thank you"));
    awaitSweptPastEverythingRecorded("4915100040006");

    JsonNode converted = read(lead);
    assertThat(converted.get("lead_status").asText()).isEqualTo("converted");
    assertThat(automaticMoves(converted)).isEmpty();
    assertThat(converted.get("timeline").findValuesAsText("actor")).contains("user");
  }
}
