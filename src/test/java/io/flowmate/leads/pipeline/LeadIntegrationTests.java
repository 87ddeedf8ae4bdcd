package io.flowmate.leads.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The leads API over HTTP on PostgreSQL and the embedded engine: entering leads, listing and
 * filtering them, status moves the DMN allows or refuses, bulk moves with per-lead errors, CSV and
 * JSON exports, the Pro+ gate, scopes and tenant isolation.
 */
class LeadIntegrationTests extends IntegrationTest {

  private static final String LEADS = "/api/v2/leads";

  private static String create(TestTenant tenant, String phone, String name) {
    Map<String, Object> body = new HashMap<>();
    body.put("contact_phone", phone);
    body.put("contact_name", name);
    Api.Response created = tenant.api().post(LEADS, body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  private static Api.Response move(Api api, String lead, String status) {
    return api.patch(LEADS + "/" + lead + "/status", Map.of("status", status));
  }

  private static List<String> names(Api.Response list) {
    return StreamSupport.stream(list.json().get("leads").spliterator(), false)
        .map(lead -> lead.get("contact_name").asText())
        .toList();
  }

  @Test
  void aLeadIsEnteredByHandAndShownWithTheReferenceFields() {
    TestTenant tenant = newTenant();
    UUID group = UUID.randomUUID();

    Api.Response created =
        tenant
            .api()
            .post(
                LEADS,
                Map.of(
                    "contact_phone", "+49 151 2345-6789",
                    "contact_name", " Ana Silva ",
                    "lead_score", 8,
                    "source_group_id", group,
                    "source_group_name", "Porto flat hunters"));

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode lead = created.json();
    assertThat(lead.get("contact_phone").asText()).isEqualTo("4915123456789");
    assertThat(lead.get("contact_name").asText()).isEqualTo("Ana Silva");
    assertThat(lead.get("lead_status").asText()).isEqualTo("new");
    assertThat(lead.get("lead_score").asInt()).isEqualTo(8);
    assertThat(lead.get("lead_detected_at").asText()).isNotBlank();
    assertThat(lead.at("/source_group/id").asText()).isEqualTo(group.toString());
    assertThat(lead.at("/source_group/name").asText()).isEqualTo("Porto flat hunters");
    assertThat(lead.get("trigger").isNull()).isTrue();

    Api.Response shown = tenant.api().get(LEADS + "/" + lead.get("id").asText());
    assertThat(shown.status()).isEqualTo(200);
    JsonNode detail = shown.json().deepCopy();
    JsonNode timeline =
        ((com.fasterxml.jackson.databind.node.ObjectNode) detail).remove("timeline");
    assertThat(detail).isEqualTo(lead);
    assertThat(timeline.findValuesAsText("kind")).containsExactly("detected");
    assertThat(timeline.get(0).get("detail").asText()).isEqualTo("entered by hand");

    Api.Response twice = tenant.api().post(LEADS, Map.of("contact_phone", "4915123456789@c.us"));
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.text("detail")).contains(lead.get("id").asText());
    assertThat(tenant.api().post(LEADS, Map.of("contact_phone", "call me")).text("detail"))
        .contains("is not a phone number");
    assertThat(
            tenant.api().post(LEADS, Map.of("contact_phone", "120363000000000000@g.us")).status())
        .isEqualTo(422);
    assertThat(tenant.api().post(LEADS, Map.of("contact_name", "No phone")).text("detail"))
        .isEqualTo("contact_phone is required");
    assertThat(
            tenant
                .api()
                .post(LEADS, Map.of("contact_phone", "4915100000001", "lead_score", 11))
                .status())
        .isEqualTo(422);
    assertThat(tenant.api().get(LEADS + "/" + UUID.randomUUID()).status()).isEqualTo(404);
  }

  @Test
  void leadsAreListedNewestFirstAndFilteredByStatusSourceAndSearch() {
    TestTenant tenant = newTenant();
    UUID group = UUID.randomUUID();
    create(tenant, "4915100000001", "Ana");
    String bea =
        tenant
            .api()
            .post(
                LEADS,
                Map.of(
                    "contact_phone",
                    "4915100000002",
                    "contact_name",
                    "Bea",
                    "source_group_id",
                    group))
            .text("id");
    String carl = create(tenant, "4477000000003", "Carl 100%");
    assertThat(move(tenant.api(), carl, "contacted").status()).isEqualTo(200);

    Api.Response all = tenant.api().get(LEADS);
    assertThat(all.json().get("total").asLong()).isEqualTo(3);
    assertThat(all.json().get("limit").asInt()).isEqualTo(50);
    assertThat(all.json().get("offset").asInt()).isZero();
    assertThat(names(all)).containsExactly("Carl 100%", "Bea", "Ana");

    Api.Response second = tenant.api().get(LEADS + "?limit=1&offset=1");
    assertThat(names(second)).containsExactly("Bea");
    assertThat(second.json().get("total").asLong()).isEqualTo(3);

    assertThat(names(tenant.api().get(LEADS + "?status=contacted"))).containsExactly("Carl 100%");
    assertThat(names(tenant.api().get(LEADS + "?status=new"))).containsExactly("Bea", "Ana");
    assertThat(names(tenant.api().get(LEADS + "?source_group_id=" + group))).containsExactly("Bea");
    assertThat(names(tenant.api().get(LEADS + "?search=bE"))).containsExactly("Bea");
    assertThat(names(tenant.api().get(LEADS + "?search=%2B49%20151")))
        .containsExactly("Bea", "Ana");
    assertThat(names(tenant.api().get(LEADS + "?search=0%25"))).containsExactly("Carl 100%");
    assertThat(tenant.api().get(LEADS + "?search=nobody").json().get("total").asLong()).isZero();
    assertThat(tenant.api().get(LEADS + "?status=new&search=ana").json().get("total").asLong())
        .isEqualTo(1);

    Api.Response badStatus = tenant.api().get(LEADS + "?status=spam");
    assertThat(badStatus.status()).isEqualTo(422);
    assertThat(badStatus.text("detail")).contains("new, contacted, qualified, converted, lost");
    assertThat(tenant.api().get(LEADS + "?limit=0").status()).isEqualTo(422);
    assertThat(bea).isNotBlank();
  }

  @Test
  void theDecisionAllowsPipelineMovesAndRefusesOthersWithADetail() {
    TestTenant tenant = newTenant();
    String lead = create(tenant, "4915100000011", "Dora");

    Api.Response contacted = move(tenant.api(), lead, "contacted");
    assertThat(contacted.status()).as(contacted.toString()).isEqualTo(200);
    assertThat(contacted.text("lead_status")).isEqualTo("contacted");
    assertThat(contacted.text("status_changed_at")).isNotBlank();

    Api.Response back = move(tenant.api(), lead, "new");
    assertThat(back.status()).isEqualTo(400);
    assertThat(back.text("detail")).isEqualTo("a lead cannot move from contacted to new");
    Api.Response same = move(tenant.api(), lead, "contacted");
    assertThat(same.status()).isEqualTo(400);
    assertThat(same.text("detail")).isEqualTo("the lead is already contacted");

    assertThat(move(tenant.api(), lead, "lost").text("lead_status")).isEqualTo("lost");
    Api.Response fromLost = move(tenant.api(), lead, "qualified");
    assertThat(fromLost.status()).isEqualTo(400);
    assertThat(fromLost.text("detail")).contains("can only be reopened");
    assertThat(move(tenant.api(), lead, "new").text("lead_status")).isEqualTo("new");
    assertThat(move(tenant.api(), lead, "qualified").text("lead_status")).isEqualTo("qualified");
    assertThat(move(tenant.api(), lead, "converted").text("lead_status")).isEqualTo("converted");

    Api.Response afterConverted = move(tenant.api(), lead, "lost");
    assertThat(afterConverted.status()).isEqualTo(400);
    assertThat(afterConverted.text("detail")).contains("converted is final");
    assertThat(tenant.api().get(LEADS + "/" + lead).text("lead_status")).isEqualTo("converted");

    assertThat(move(tenant.api(), lead, "spam").status()).isEqualTo(422);
    assertThat(tenant.api().patch(LEADS + "/" + lead + "/status", Map.of()).text("detail"))
        .isEqualTo("status is required");
    assertThat(move(tenant.api(), UUID.randomUUID().toString(), "contacted").status())
        .isEqualTo(404);
  }

  @Test
  void aBulkMoveValidatesEachLeadOnItsOwn() {
    TestTenant tenant = newTenant();
    String fresh = create(tenant, "4915100000021", "Eve");
    String contacted = create(tenant, "4915100000022", "Finn");
    String converted = create(tenant, "4915100000023", "Gus");
    move(tenant.api(), contacted, "contacted");
    move(tenant.api(), converted, "converted");
    String unknown = UUID.randomUUID().toString();

    Api.Response bulk =
        tenant
            .api()
            .post(
                LEADS + "/bulk/status",
                Map.of(
                    "lead_ids",
                    List.of(fresh, contacted, converted, unknown),
                    "status",
                    "qualified"));

    assertThat(bulk.status()).as(bulk.toString()).isEqualTo(200);
    assertThat(bulk.json().get("updated").asInt()).isEqualTo(2);
    assertThat(bulk.json().get("failed").asInt()).isEqualTo(2);
    assertThat(bulk.json().get("errors").findValuesAsText("lead_id"))
        .containsExactly(converted, unknown);
    assertThat(bulk.json().at("/errors/0/detail").asText()).contains("converted is final");
    assertThat(bulk.json().at("/errors/1/detail").asText()).contains("not found");
    assertThat(tenant.api().get(LEADS + "/" + fresh).text("lead_status")).isEqualTo("qualified");
    assertThat(tenant.api().get(LEADS + "/" + contacted).text("lead_status"))
        .isEqualTo("qualified");
    assertThat(tenant.api().get(LEADS + "/" + converted).text("lead_status"))
        .isEqualTo("converted");

    assertThat(
            tenant
                .api()
                .post(LEADS + "/bulk/status", Map.of("lead_ids", List.of(), "status", "lost"))
                .status())
        .isEqualTo(422);
    assertThat(
            tenant
                .api()
                .post(LEADS + "/bulk/status", Map.of("lead_ids", List.of(fresh), "status", "won"))
                .status())
        .isEqualTo(422);
  }

  @Test
  void reciprocitySaysWhetherTheLeadWroteToTheNumber() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    String lead = create(tenant, "4915100000777", "Rita Reis");
    String path = "/api/v2/leads/" + lead + "/reciprocity?session_id=" + session;

    Api.Response before = tenant.api().get(path);
    tenant.contactWrites(session, "4915100000777", "Is the flat still available?");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> tenant.api().get(path).json().get("has_messaged_first").asBoolean());
    Api.Response after = tenant.api().get(path);

    assertThat(before.status()).as(before.toString()).isEqualTo(200);
    assertThat(before.json().get("has_messaged_first").asBoolean()).isFalse();
    assertThat(before.json().get("last_inbound_at").isNull()).isTrue();
    assertThat(after.text("lead_id")).isEqualTo(lead);
    assertThat(after.json().get("last_inbound_at").isNull()).isFalse();
    assertThat(newTenant().api().get(path).status()).as("another tenant's lead").isEqualTo(404);
    assertThat(tenant.api().get("/api/v2/leads/" + lead + "/reciprocity").status())
        .isBetween(400, 422);
  }

  @Test
  void exportsWriteTheFilteredLeadsAsCsvAndJson() {
    TestTenant tenant = newTenant("pro");
    create(tenant, "4915100000031", "Hana, \"the buyer\"");
    String ivo = create(tenant, "4915100000032", "=HYPERLINK(\"x\")");
    move(tenant.api(), ivo, "qualified");

    Api.Response csv = tenant.api().get(LEADS + "/export/csv");
    assertThat(csv.status()).as(csv.toString()).isEqualTo(200);
    assertThat(csv.header("Content-Type")).startsWith("text/csv");
    assertThat(csv.header("Content-Disposition")).contains("leads.csv");
    List<String> lines = csv.body().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0))
        .startsWith("id,contact_phone,contact_name,lead_status,lead_score,lead_detected_at");
    // lead_score: empty, or the score the scoring process gave meanwhile
    assertThat(lines.get(1))
        .matches(ivo + ",4915100000032,\"'=HYPERLINK\\(\"\"x\"\"\\)\",qualified,\\d*,.*");
    assertThat(lines.get(2)).matches(".*,4915100000031,\"Hana, \"\"the buyer\"\"\",new,\\d*,.*");

    Api.Response qualified = tenant.api().get(LEADS + "/export/csv?status=qualified");
    assertThat(qualified.body().lines()).hasSize(2);
    assertThat(qualified.body()).contains(ivo).doesNotContain("Hana");

    Api.Response json = tenant.api().get(LEADS + "/export/json?search=hana");
    assertThat(json.status()).isEqualTo(200);
    assertThat(json.json()).hasSize(1);
    assertThat(json.json().get(0).get("contact_name").asText()).isEqualTo("Hana, \"the buyer\"");
    assertThat(json.json().get(0).get("lead_status").asText()).isEqualTo("new");
    assertThat(tenant.api().get(LEADS + "/export/json?status=lost").json()).isEmpty();
  }

  @Test
  void bulkMovesAndExportsNeedAProPlan() {
    TestTenant starter = newTenant("starter");
    String lead = create(starter, "4915100000041", "Jo");

    for (Api.Response refused :
        List.of(
            starter
                .api()
                .post(LEADS + "/bulk/status", Map.of("lead_ids", List.of(lead), "status", "lost")),
            starter.api().get(LEADS + "/export/csv"),
            starter.api().get(LEADS + "/export/json"))) {
      assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
      assertThat(refused.text("detail")).contains("Starter plan").contains("Pro");
    }
    assertThat(starter.api().get(LEADS + "/" + lead).text("lead_status")).isEqualTo("new");
    assertThat(move(starter.api(), lead, "lost").status()).isEqualTo(200);
    assertThat(starter.api().get(LEADS).json().get("total").asLong()).isEqualTo(1);
  }

  @Test
  void readersCannotChangeLeadsAndOtherScopesCannotSeeThem() {
    TestTenant tenant = newTenant();
    String lead = create(tenant, "4915100000051", "Kim");
    Api reader = tenant.keyWithScopes("leads:read");
    Api outsider = tenant.keyWithScopes("messages:send");

    assertThat(reader.get(LEADS).status()).isEqualTo(200);
    assertThat(reader.get(LEADS + "/" + lead).status()).isEqualTo(200);
    assertThat(reader.get(LEADS + "/export/csv").status()).isEqualTo(200);
    Api.Response refused = move(reader, lead, "contacted");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.header("X-Required-Scopes")).isEqualTo("leads:manage");
    assertThat(reader.post(LEADS, Map.of("contact_phone", "4915100000052")).status())
        .isEqualTo(403);
    assertThat(
            reader
                .post(LEADS + "/bulk/status", Map.of("lead_ids", List.of(lead), "status", "lost"))
                .status())
        .isEqualTo(403);

    assertThat(outsider.get(LEADS).status()).isEqualTo(403);
    assertThat(outsider.get(LEADS + "/" + lead).status()).isEqualTo(403);
    assertThat(anonymous().get(LEADS).status()).isEqualTo(401);

    Api manager = tenant.keyWithScopes("leads:manage");
    assertThat(move(manager, lead, "contacted").status()).isEqualTo(200);
    assertThat(manager.get(LEADS).status()).isEqualTo(200);
  }

  @Test
  void tenantsNeverSeeOrChangeEachOthersLeads() {
    TestTenant owner = newTenant();
    TestTenant other = newTenant();
    String lead = create(owner, "4915100000061", "Lia");

    assertThat(other.api().get(LEADS + "/" + lead).status()).isEqualTo(404);
    assertThat(other.api().get(LEADS).json().get("total").asLong()).isZero();
    assertThat(move(other.api(), lead, "lost").status()).isEqualTo(404);
    Api.Response bulk =
        other
            .api()
            .post(LEADS + "/bulk/status", Map.of("lead_ids", List.of(lead), "status", "lost"));
    assertThat(bulk.json().get("updated").asInt()).isZero();
    assertThat(bulk.json().at("/errors/0/detail").asText()).contains("not found");
    assertThat(other.api().get(LEADS + "/export/csv").body().lines()).hasSize(1);
    assertThat(owner.api().get(LEADS + "/" + lead).text("lead_status")).isEqualTo("new");

    // The same person can be a lead of both tenants.
    assertThat(other.api().post(LEADS, Map.of("contact_phone", "4915100000061")).status())
        .isEqualTo(201);
  }
}
