package io.flowmate.leads.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.support.Api;
import io.flowmate.support.EngineRecords;
import io.flowmate.support.IntegrationTest;
import io.flowmate.workflow.EmbeddedEngine;
import io.flowmate.workflow.Processes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code bpmn/leads-lead-scoring.bpmn} on the embedded engine with its real workers and the real
 * decision: a hot lead is scored with its reasons and gets qualified suggested (not applied), a
 * cold one gets no suggestion, a lead that is gone ends the instance quietly, and a rescoring
 * clears a suggestion the new score no longer supports. Instances are started here, so the
 * starter's schedule is turned off for this class; one test drives the starter itself to show that
 * new activity scores a lead again only once {@code rescore-after} has passed.
 */
@TestPropertySource(
    properties = {"flowmate.leads.scoring.interval=1h", "flowmate.leads.scoring.rescore-after=10m"})
class LeadsLeadScoringProcessTests extends IntegrationTest {

  private static final List<String> EVERY_STEP =
      List.of(
          LeadScoringProcess.START_EVENT,
          LeadScoringProcess.SCORE_TASK,
          LeadScoringProcess.SUGGEST_TASK,
          LeadScoringProcess.RECORD_TASK,
          LeadScoringProcess.END_EVENT);

  @Autowired EmbeddedEngine engine;
  @Autowired Processes processes;
  @Autowired JdbcClient jdbc;
  @Autowired LeadScoringProcessStarter starter;

  private EngineRecords records;
  private TestTenant tenant;

  @BeforeEach
  void tenant() {
    records = new EngineRecords(engine);
    tenant = newTenant();
  }

  private String lead(String phone) {
    Api.Response created =
        tenant.api().post("/api/v2/leads", Map.of("contact_phone", phone, "contact_name", "Lea"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  private void detectedBy(String lead, String keyword, Duration ago) {
    jdbc.sql(
            """
            UPDATE leads_lead SET matched_keyword = :keyword, monitor_mode = 'keywords', message_preview = 'Hi',
                   last_activity_at = :at, lead_detected_at = :at WHERE id = :id
            """)
        .param("keyword", keyword)
        .param("at", java.sql.Timestamp.from(Instant.now().minus(ago)))
        .param("id", UUID.fromString(lead))
        .update();
  }

  private long score(String lead) {
    long instance =
        processes
            .start(
                LeadScoringProcess.PROCESS_ID,
                Map.of(
                    LeadScoringProcess.TENANT_ID,
                    tenant.id().toString(),
                    LeadScoringProcess.LEAD_ID,
                    lead))
            .processInstanceKey();
    await().atMost(Duration.ofSeconds(15)).until(() -> records.isCompleted(instance));
    assertThat(records.incidents(instance)).isEmpty();
    return instance;
  }

  private JsonNode read(String lead) {
    return tenant.api().get("/api/v2/leads/" + lead).json();
  }

  @Test
  void aHotLeadIsScoredWithItsReasonsAndQualifyingIsSuggestedNotApplied() {
    String session = tenant.workingSession();
    String lead = lead("4915100030001");
    detectedBy(lead, "looking for", Duration.ofHours(2));
    for (String text : List.of("Hello", "Is the flat still free?", "What is the price?")) {
      tenant.contactWrites(session, "4915100030001", text);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> read(lead).get("timeline").toString().contains("price"));

    long instance = score(lead);

    assertThat(records.completedElements(instance)).containsAll(EVERY_STEP);
    JsonNode scored = read(lead);
    // 1 + phrase 3 + three messages 2 + active within a day 2
    assertThat(scored.get("lead_score").asInt()).isEqualTo(8);
    assertThat(scored.get("score_reason").asText())
        .contains(
            "matched the phrase 'looking for'",
            "wrote 3 messages in 30 days",
            "active within a day",
            "8/10");
    assertThat(scored.get("lead_status").asText()).isEqualTo("new");
    assertThat(scored.get("suggested_status").asText()).isEqualTo("qualified");
    assertThat(scored.get("timeline").findValuesAsText("kind"))
        .contains("scored", "status_suggested", "detected");
  }

  @Test
  void aColdLeadGetsALowScoreAndNoSuggestion() {
    String lead = lead("4915100030002");
    detectedBy(lead, "budget", Duration.ofDays(45));

    long instance = score(lead);

    assertThat(records.completedElements(instance)).containsAll(EVERY_STEP);
    JsonNode scored = read(lead);
    assertThat(scored.get("lead_score").asInt()).isEqualTo(2);
    assertThat(scored.get("score_reason").asText()).contains("quiet for 45 days");
    assertThat(scored.get("suggested_status").isNull()).isTrue();
  }

  @Test
  void aRescoringClearsASuggestionTheScoreNoLongerSupportsAndFreesTheLead() {
    String session = tenant.workingSession();
    String lead = lead("4915100030003");
    detectedBy(lead, "looking for", Duration.ofHours(1));
    for (String text : List.of("Hi", "Still available?", "Can I visit?")) {
      tenant.contactWrites(session, "4915100030003", text);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> read(lead).get("timeline").toString().contains("visit"));
    score(lead);
    assertThat(read(lead).get("suggested_status").asText()).isEqualTo("qualified");

    detectedBy(lead, "budget", Duration.ofDays(10));
    score(lead);

    JsonNode rescored = read(lead);
    assertThat(rescored.get("lead_score").asInt()).isLessThan(8);
    assertThat(rescored.get("suggested_status").isNull()).isTrue();
    Map<String, Object> row =
        jdbc.sql("SELECT process_instance_key, engine_epoch FROM leads_lead WHERE id = :id")
            .param("id", UUID.fromString(lead))
            .query()
            .singleRow();
    assertThat(row.get("process_instance_key")).isNull();
    assertThat(row.get("engine_epoch")).isNull();
  }

  @Test
  void newActivityScoresALeadAgainOnlyOnceRescoreAfterHasPassed() {
    String lead = lead("4915100030004");
    starter.startDue();
    await().atMost(Duration.ofSeconds(15)).until(() -> scoredForItsLatestActivity(lead));
    assertThat(read(lead).get("scored_at").isNull()).isFalse();

    detectedBy(lead, "budget", Duration.ZERO);
    starter.startDue();
    assertThat(scoredForItsLatestActivity(lead)).isFalse();
    assertThat(scoringEpoch(lead)).as("scored moments ago: no new instance yet").isNull();

    jdbc.sql("UPDATE leads_lead SET scored_at = scored_at - interval '11 minutes' WHERE id = :id")
        .param("id", UUID.fromString(lead))
        .update();
    starter.startDue();
    await().atMost(Duration.ofSeconds(15)).until(() -> scoredForItsLatestActivity(lead));
    assertThat(read(lead).get("score_reason").asText()).contains("budget");
  }

  private boolean scoredForItsLatestActivity(String lead) {
    return jdbc.sql(
            "SELECT scored_activity_at IS NOT DISTINCT FROM last_activity_at AND engine_epoch IS NULL FROM leads_lead WHERE id = :id")
        .param("id", UUID.fromString(lead))
        .query(Boolean.class)
        .single();
  }

  private String scoringEpoch(String lead) {
    return jdbc.sql("SELECT engine_epoch FROM leads_lead WHERE id = :id")
        .param("id", UUID.fromString(lead))
        .query(String.class)
        .optional()
        .orElse(null);
  }

  @Test
  void aLeadThatIsGoneEndsTheInstanceWithoutAnIncident() {
    long instance = score(UUID.randomUUID().toString());

    assertThat(records.completedElements(instance)).containsAll(EVERY_STEP);
  }
}
