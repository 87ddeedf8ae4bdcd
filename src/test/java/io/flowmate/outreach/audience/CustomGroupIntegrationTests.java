package io.flowmate.outreach.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Custom groups over HTTP on PostgreSQL: the reference API's endpoints, the plan's limit, members
 * in and out (one by one and as CSV or JSON files), lists built from WhatsApp groups in the
 * simulator, and what campaigns read of them through {@link Audience}.
 */
class CustomGroupIntegrationTests extends IntegrationTest {

  private static final String GROUPS = "/api/v2/custom-groups";

  @Autowired Audience audience;

  private static String create(TestTenant tenant, String name, List<Map<String, Object>> members) {
    Api.Response created = tenant.api().post(GROUPS, Map.of("name", name, "members", members));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  private static Api.Response importCsv(Api api, String group, String csv) {
    return api.raw("POST", GROUPS + "/" + group + "/import/csv", csv, "text/csv");
  }

  private static Api.Response importJson(Api api, String group, String json) {
    return api.raw("POST", GROUPS + "/" + group + "/import/json", json, "application/json");
  }

  private static List<String> phonesOf(TestTenant tenant, String group) {
    JsonNode members = tenant.api().get(GROUPS + "/" + group + "?limit=100").json().get("members");
    return StreamSupport.stream(members.spliterator(), false)
        .map(m -> m.get("phone").asText())
        .sorted()
        .toList();
  }

  @Test
  void createListShowRenameAndDeleteAList() {
    TestTenant tenant = newTenant();

    Api.Response created =
        tenant
            .api()
            .post(
                GROUPS,
                Map.of(
                    "name",
                    "  VIP customers ",
                    "members",
                    List.of(
                        Map.of(
                            "phone",
                            "+49 151 0000-0001",
                            "name",
                            "Ana",
                            "fields",
                            Map.of("city", "Porto")),
                        Map.of("phone", "4915100000002@c.us"),
                        Map.of("phone", "0151 0000003"),
                        Map.of("phone", "491510000-0001", "name", "Ana twice"))));

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode group = created.json();
    String id = group.get("id").asText();
    assertThat(group.get("name").asText()).isEqualTo("VIP customers");
    assertThat(group.get("member_count").asLong()).isEqualTo(2);
    assertThat(group.get("created_at").asText()).isNotBlank();
    assertThat(group.get("added").asLong()).isEqualTo(2);
    assertThat(group.get("skipped").asLong()).isEqualTo(1);
    assertThat(group.get("failed").asLong()).isEqualTo(1);
    assertThat(group.at("/errors/0/index").asInt()).isEqualTo(2);
    assertThat(group.at("/errors/0/reason").asText()).contains("national number");

    Api.Response list = tenant.api().get(GROUPS);
    assertThat(list.json().get("total").asLong()).isEqualTo(1);
    assertThat(list.json().at("/items/0/member_count").asLong()).isEqualTo(2);

    Api.Response firstPage = tenant.api().get(GROUPS + "/" + id + "?limit=1");
    assertThat(firstPage.json().get("members")).hasSize(1);
    assertThat(firstPage.json().at("/members/0/phone").asText()).isEqualTo("4915100000001");
    assertThat(firstPage.json().at("/members/0/fields/city").asText()).isEqualTo("Porto");
    assertThat(firstPage.json().get("has_more").asBoolean()).isTrue();
    Api.Response secondPage = tenant.api().get(GROUPS + "/" + id + "?limit=1&offset=1");
    assertThat(secondPage.json().at("/members/0/phone").asText()).isEqualTo("4915100000002");
    assertThat(secondPage.json().get("has_more").asBoolean()).isFalse();

    Api.Response renamed = tenant.api().patch(GROUPS + "/" + id, Map.of("name", "Best customers"));
    assertThat(renamed.status()).isEqualTo(200);
    assertThat(renamed.text("name")).isEqualTo("Best customers");
    assertThat(renamed.json().get("member_count").asLong()).isEqualTo(2);

    String other = create(tenant, "Newsletter", List.of());
    Api.Response clash = tenant.api().patch(GROUPS + "/" + other, Map.of("name", "BEST customers"));
    assertThat(clash.status()).isEqualTo(409);
    assertThat(clash.text("detail")).contains("already exists");
    assertThat(tenant.api().post(GROUPS, Map.of("name", "newsletter")).status()).isEqualTo(409);
    assertThat(tenant.api().post(GROUPS, Map.of("name", " ")).status()).isEqualTo(422);
    assertThat(tenant.api().post(GROUPS, Map.of("name", "x".repeat(256))).status()).isEqualTo(422);

    assertThat(tenant.api().delete(GROUPS + "/" + id).status()).isEqualTo(204);
    assertThat(tenant.api().get(GROUPS + "/" + id).status()).isEqualTo(404);
    assertThat(tenant.api().delete(GROUPS + "/" + id).status()).isEqualTo(404);
    assertThat(tenant.api().get(GROUPS).json().get("total").asLong()).isEqualTo(1);
  }

  @Test
  void membersAreAddedWithoutDuplicatesAndRemovedByPhoneOrId() {
    TestTenant tenant = newTenant();
    String group = create(tenant, "Clients", List.of(Map.of("phone", "4915100000011")));

    Api.Response added =
        tenant
            .api()
            .post(
                GROUPS + "/" + group + "/members/add",
                Map.of(
                    "contacts",
                    List.of(
                        Map.of("phone", "+49 151 00000011", "name", "Already in"),
                        Map.of(
                            "phone",
                            "4915100000012",
                            "name",
                            "Bea",
                            "fields",
                            Map.of("unpaid", "yes")),
                        Map.of("phone", "call me maybe"),
                        Map.of("phone", "4915100000013", "fields", Map.of("{x}", "y")),
                        Map.of("phone", "4915100000014"))));

    assertThat(added.status()).as(added.toString()).isEqualTo(200);
    assertThat(added.json().get("added").asLong()).isEqualTo(2);
    assertThat(added.json().get("skipped").asLong()).isEqualTo(1);
    assertThat(added.json().get("failed").asLong()).isEqualTo(2);
    assertThat(added.json().get("member_count").asLong()).isEqualTo(3);
    assertThat(added.json().get("errors").findValuesAsText("index")).containsExactly("2", "3");
    assertThat(added.json().at("/errors/0/reason").asText()).contains("is not a phone number");
    assertThat(added.json().at("/errors/1/reason").asText()).contains("'{' or '}'");
    assertThat(added.json().at("/errors/0").has("line")).isFalse();

    JsonNode members = tenant.api().get(GROUPS + "/" + group).json().get("members");
    String beaId =
        StreamSupport.stream(members.spliterator(), false)
            .filter(m -> m.get("phone").asText().equals("4915100000012"))
            .findFirst()
            .orElseThrow()
            .get("id")
            .asText();

    Api.Response removed =
        tenant
            .api()
            .post(
                GROUPS + "/" + group + "/members/remove",
                Map.of(
                    "phones",
                    List.of("+49 151 0000 0014", "4915199999999"),
                    "member_ids",
                    List.of(beaId)));
    assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
    assertThat(removed.json().get("removed").asInt()).isEqualTo(2);
    assertThat(removed.json().get("member_count").asLong()).isEqualTo(1);
    assertThat(phonesOf(tenant, group)).containsExactly("4915100000011");

    Api.Response badPhone =
        tenant
            .api()
            .post(GROUPS + "/" + group + "/members/remove", Map.of("phones", List.of("nope")));
    assertThat(badPhone.status()).isEqualTo(422);
    assertThat(badPhone.text("detail")).startsWith("phones[0]: ");
    assertThat(tenant.api().post(GROUPS + "/" + group + "/members/remove", Map.of()).status())
        .isEqualTo(422);
  }

  @Test
  void oneRequestAddsAtMostOneThousandContacts() {
    TestTenant tenant = newTenant();
    String group = create(tenant, "Big", List.of());
    List<Map<String, Object>> contacts =
        IntStream.range(0, 1_001)
            .mapToObj(i -> Map.<String, Object>of("phone", "49151" + (1_000_000 + i)))
            .toList();

    Api.Response tooMany =
        tenant.api().post(GROUPS + "/" + group + "/members/add", Map.of("contacts", contacts));

    assertThat(tooMany.status()).isEqualTo(422);
    assertThat(tooMany.text("detail"))
        .contains("1001 entries")
        .contains("at most 1000")
        .contains("import");
    assertThat(tenant.api().get(GROUPS + "/" + group).json().get("member_count").asLong()).isZero();

    Api.Response exactly =
        tenant
            .api()
            .post(
                GROUPS + "/" + group + "/members/add",
                Map.of("contacts", contacts.subList(0, 1_000)));
    assertThat(exactly.status()).isEqualTo(200);
    assertThat(exactly.json().get("added").asLong()).isEqualTo(1_000);
    assertThat(tenant.api().post(GROUPS + "/" + group + "/members/add", Map.of()).status())
        .isEqualTo(422);
    assertThat(tenant.api().post(GROUPS, Map.of("name", "Too big", "members", contacts)).status())
        .isEqualTo(422);
  }

  @Test
  void thePlanLimitsHowManyListsATenantHas() {
    TestTenant tenant = newTenant("free");
    create(tenant, "One", List.of());
    create(tenant, "Two", List.of());

    Api.Response third = tenant.api().post(GROUPS, Map.of("name", "Three"));

    assertThat(third.status()).isEqualTo(403);
    assertThat(third.text("detail"))
        .contains("Free plan allows 2 custom group(s)")
        .contains("has 2");
    assertThat(tenant.api().get(GROUPS).json().get("total").asLong()).isEqualTo(2);
  }

  @Test
  void anotherTenantsListIsNotFoundAndScopesAreEnforced() {
    TestTenant owner = newTenant();
    TestTenant stranger = newTenant();
    String group = create(owner, "Private", List.of(Map.of("phone", "4915100000021")));
    String path = GROUPS + "/" + group;

    assertThat(stranger.api().get(path).status()).isEqualTo(404);
    assertThat(stranger.api().patch(path, Map.of("name", "Mine")).status()).isEqualTo(404);
    assertThat(stranger.api().delete(path).status()).isEqualTo(404);
    assertThat(
            stranger
                .api()
                .post(
                    path + "/members/add",
                    Map.of("contacts", List.of(Map.of("phone", "4915100000022"))))
                .status())
        .isEqualTo(404);
    assertThat(
            stranger
                .api()
                .post(path + "/members/remove", Map.of("phones", List.of("4915100000021")))
                .status())
        .isEqualTo(404);
    assertThat(importCsv(stranger.api(), group, "phone\n4915100000023\n").status()).isEqualTo(404);
    assertThat(importJson(stranger.api(), group, "[{\"phone\": \"4915100000023\"}]").status())
        .isEqualTo(404);
    assertThat(stranger.api().get(path + "/export/csv").status()).isEqualTo(404);
    assertThat(stranger.api().get(path + "/export/json").status()).isEqualTo(404);
    assertThat(stranger.api().get(GROUPS).json().get("total").asLong()).isZero();
    assertThat(phonesOf(owner, group)).containsExactly("4915100000021");

    Api reader = owner.keyWithScopes("custom-groups:read");
    assertThat(reader.get(path).status()).isEqualTo(200);
    assertThat(reader.get(path + "/export/csv").status()).isEqualTo(200);
    Api.Response refused = reader.post(path + "/members/add", Map.of("contacts", List.of()));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.header("X-Required-Scopes")).isEqualTo("custom-groups:manage");
    assertThat(owner.keyWithScopes("messages:send").get(GROUPS).status()).isEqualTo(403);
    assertThat(owner.keyWithScopes("custom-groups:manage").delete(path).status()).isEqualTo(204);
  }

  @Test
  void aCsvImportKeepsTheGoodRowsReportsTheBadOnesByLineAndFeedsTheAudience() {
    TestTenant tenant = newTenant();
    String group =
        create(tenant, "Debtors", List.of(Map.of("phone", "4915100000031", "name", "Known")));
    String csv =
        """
        phone,name,first_name,city,unpaid
        +49 151 0000 0031,Known again,Kay,Kiel,yes
        4915100000032,"Lee, Ann",Ann,"Bremen
        Nord",yes
        0151 0000033,Local,Lo,Ulm,yes
        4915100000034,Max,Max,Bonn,no,surplus

        4915100000035,Nia,Nia,Essen,yes
        4915100000032,Lee duplicate,Ann,Bremen,yes
        4915100000036,Olu,,,
        """;

    Api.Response imported = importCsv(tenant.api(), group, csv);

    assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
    JsonNode result = imported.json();
    assertThat(result.get("imported").asLong()).isEqualTo(3);
    assertThat(result.get("skipped").asLong()).isEqualTo(2);
    assertThat(result.get("failed").asLong()).isEqualTo(2);
    assertThat(result.get("errors_truncated").asBoolean()).isFalse();
    assertThat(result.get("member_count").asLong()).isEqualTo(4);
    assertThat(result.get("errors").findValuesAsText("line")).containsExactly("5", "6");
    assertThat(result.at("/errors/0/reason").asText()).contains("national number");
    assertThat(result.at("/errors/1/reason").asText())
        .isEqualTo("the row has 6 values but the header has 5 columns");

    UUID groupId = UUID.fromString(group);
    assertThat(audience.count(groupId, Map.of("unpaid", "yes"))).isEqualTo(2);
    List<Audience.Member> unpaid = audience.page(groupId, Map.of("unpaid", "yes"), null, 10);
    assertThat(unpaid)
        .extracting(Audience.Member::phone)
        .containsExactly("4915100000032", "4915100000035");
    assertThat(unpaid.getFirst().name()).isEqualTo("Lee, Ann");
    assertThat(unpaid.getFirst().fields())
        .isEqualTo(Map.of("first_name", "Ann", "city", "Bremen\nNord", "unpaid", "yes"));
    assertThat(audience.page(groupId, Map.of(), null, 10))
        .filteredOn(m -> m.phone().equals("4915100000036"))
        .singleElement()
        .satisfies(m -> assertThat(m.fields()).isEmpty());
  }

  @Test
  void aCsvFileThatCannotBeReadImportsNothing() {
    TestTenant tenant = newTenant();
    String group = create(tenant, "Strict", List.of());

    Api.Response noPhone = importCsv(tenant.api(), group, "name,city\nAna,Porto\n");
    Api.Response empty = importCsv(tenant.api(), group, "");
    Api.Response wrongType =
        tenant.api().raw("POST", GROUPS + "/" + group + "/import/csv", "phone", "image/png");

    assertThat(noPhone.status()).isEqualTo(422);
    assertThat(noPhone.text("detail")).contains("no 'phone' column");
    assertThat(empty.status()).isEqualTo(422);
    assertThat(empty.text("detail")).contains("empty");
    assertThat(wrongType.status()).isEqualTo(415);
    assertThat(tenant.api().get(GROUPS + "/" + group).json().get("member_count").asLong()).isZero();
  }

  @Test
  void aJsonImportReportsBadEntriesByLineAndIndexAndBrokenJsonImportsNothing() {
    TestTenant tenant = newTenant();
    String group = create(tenant, "From JSON", List.of());
    String json =
        """
        [
          {"phone": "+351 912 345 678", "name": "Rui", "fields": {"city": "Lisboa", "visits": 3, "vip": true}},
          {"phone": "12"},
          "4915100000041",
          {"phone": "4915100000042", "fields": {"address": {"street": "Rua"}}},
          {"phone": 4915100000043, "name": null, "unknown": "ignored"}
        ]
        """;

    Api.Response imported = importJson(tenant.api(), group, json);

    assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
    JsonNode result = imported.json();
    assertThat(result.get("imported").asLong()).isEqualTo(2);
    assertThat(result.get("failed").asLong()).isEqualTo(3);
    assertThat(result.get("errors").findValuesAsText("line")).containsExactly("3", "4", "5");
    assertThat(result.get("errors").findValuesAsText("index")).containsExactly("1", "2", "3");
    assertThat(result.at("/errors/0/reason").asText()).contains("has 2 digits");
    assertThat(result.at("/errors/1/reason").asText()).contains("not an object");
    assertThat(result.at("/errors/2/reason").asText())
        .contains("custom field 'address' must be text");
    JsonNode rui = tenant.api().get(GROUPS + "/" + group).json().at("/members/0");
    assertThat(rui.get("phone").asText()).isEqualTo("351912345678");
    assertThat(rui.at("/fields/visits").asText()).isEqualTo("3");
    assertThat(rui.at("/fields/vip").asText()).isEqualTo("true");

    Api.Response broken =
        importJson(tenant.api(), group, "[{\"phone\": \"4915100000044\"}, {\"phone\": ");
    assertThat(broken.status()).isEqualTo(400);
    assertThat(broken.text("detail")).contains("nothing was imported");
    Api.Response notAnArray = importJson(tenant.api(), group, "{\"phone\": \"4915100000045\"}");
    assertThat(notAnArray.status()).isEqualTo(422);
    assertThat(phonesOf(tenant, group)).containsExactly("351912345678", "4915100000043");
  }

  @Test
  void anExportImportsBackUnchangedAsCsvAndAsJson() {
    TestTenant tenant = newTenant();
    String original =
        create(
            tenant,
            "Original; \"quoted\"",
            List.of(
                Map.of(
                    "phone",
                    "4915100000051",
                    "name",
                    "Zoë, the \"first\"",
                    "fields",
                    Map.of("city", "Köln", "note", "=1+1")),
                Map.of("phone", "4915100000052", "fields", Map.of("tier", "gold")),
                Map.of("phone", "4915100000053", "name", "Plain")));

    Api.Response csv = tenant.api().get(GROUPS + "/" + original + "/export/csv");
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.header("Content-Type")).startsWith("text/csv");
    assertThat(csv.header("Content-Disposition")).startsWith("attachment;").contains(".csv");
    assertThat(csv.body().lines().toList())
        .containsExactly(
            "phone,name,city,note,tier",
            "4915100000051,\"Zoë, the \"\"first\"\"\",Köln,'=1+1,",
            "4915100000052,,,,gold",
            "4915100000053,Plain,,,");
    String fromCsv = create(tenant, "From CSV", List.of());
    Api.Response imported = importCsv(tenant.api(), fromCsv, csv.body());
    assertThat(imported.json().get("imported").asLong()).isEqualTo(3);

    Api.Response json = tenant.api().get(GROUPS + "/" + original + "/export/json");
    assertThat(json.status()).isEqualTo(200);
    assertThat(json.json()).hasSize(3);
    assertThat(json.json().at("/0/fields/note").asText()).isEqualTo("=1+1");
    assertThat(json.json().at("/2/name").asText()).isEqualTo("Plain");
    String fromJson = create(tenant, "From JSON", List.of());
    assertThat(importJson(tenant.api(), fromJson, json.body()).json().get("imported").asLong())
        .isEqualTo(3);

    assertThat(tenant.api().get(GROUPS + "/" + fromCsv + "/export/json").json())
        .isEqualTo(json.json());
    assertThat(tenant.api().get(GROUPS + "/" + fromJson + "/export/csv").body())
        .isEqualTo(csv.body());
  }

  @Test
  void aLargeFileIsImportedAndExportedBeyondTheSizeOfOrdinaryRequests() {
    TestTenant tenant = newTenant();
    String group = create(tenant, "Large", List.of());
    int rows = 40_000;
    StringBuilder csv = new StringBuilder("phone,name,city,segment\n");
    for (int i = 0; i < rows; i++) {
      csv.append("+49 151 ")
          .append(10_000_000 + i)
          .append(",Person ")
          .append(i)
          .append(",Berlin,")
          .append(i % 4)
          .append('\n');
    }
    assertThat(csv.length())
        .isGreaterThan(1024 * 1024); // more than the 1 MB any other request may send

    Api.Response imported = importCsv(tenant.api(), group, csv.toString());

    assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
    assertThat(imported.json().get("imported").asLong()).isEqualTo(rows);
    assertThat(imported.json().get("member_count").asLong()).isEqualTo(rows);
    assertThat(audience.count(UUID.fromString(group), Map.of("segment", "3"))).isEqualTo(rows / 4);
    List<String> exported =
        tenant.api().get(GROUPS + "/" + group + "/export/csv").body().lines().toList();
    assertThat(exported).hasSize(rows + 1);
    assertThat(exported.get(1)).isEqualTo("4915110000000,Person 0,Berlin,0");
    assertThat(exported.getLast())
        .isEqualTo("49151" + (10_000_000 + rows - 1) + ",Person " + (rows - 1) + ",Berlin,3");
  }

  @Test
  void aListIsBuiltFromWhatsAppGroupParticipantsOncePerPhoneNumber() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    String own = tenant.api().get("/api/v2/sessions/" + session).text("phone_number");
    String simulator = "/api/v2/simulator/sessions/" + session;
    String lisbon =
        tenant
            .api()
            .post(
                simulator + "/groups",
                Map.of(
                    "subject",
                    "Lisbon flats",
                    "participants",
                    List.of("4915100000061", "4915100000062")))
            .text("group_id");
    String porto =
        tenant
            .api()
            .post(
                simulator + "/groups",
                Map.of(
                    "subject",
                    "Porto flats",
                    "participants",
                    List.of("4915100000062", "4915100000063")))
            .text("group_id");
    tenant
        .api()
        .post(simulator + "/groups/join", Map.of("group_id", porto, "phone", "4915100000064"));

    JsonNode waGroups = tenant.api().get(GROUPS + "/wa-groups").json();
    assertThat(waGroups.get("total").asInt()).isEqualTo(2);
    List<JsonNode> items = new ArrayList<>();
    waGroups.get("items").forEach(items::add);
    assertThat(items)
        .extracting(g ->
            g.get("wa_group_id").asText()
                + " "
                + g.get("name").asText()
                + " "
                + g.get("participant_count").asInt())
        .containsExactlyInAnyOrder(lisbon + " Lisbon flats 3", porto + " Porto flats 4");
    assertThat(items).allSatisfy(g -> assertThat(g.get("session_id").asText()).isEqualTo(session));

    Api.Response created =
        tenant
            .api()
            .post(
                GROUPS + "/from-wa-groups",
                Map.of(
                    "name",
                    "Flat hunters",
                    "wa_groups",
                    List.of(
                        Map.of("wa_group_id", lisbon, "session_id", session),
                        Map.of("wa_group_id", porto, "session_id", session))));

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.json().get("name").asText()).isEqualTo("Flat hunters");
    assertThat(created.json().get("participants").asInt()).isEqualTo(5);
    assertThat(created.json().get("duplicates").asInt()).isEqualTo(1);
    assertThat(created.json().get("skipped_lid_only").asInt()).isZero();
    assertThat(created.json().get("added").asLong()).isEqualTo(4);
    assertThat(created.json().get("member_count").asLong()).isEqualTo(4);
    List<String> phones = phonesOf(tenant, created.text("id"));
    assertThat(phones)
        .containsExactly("4915100000061", "4915100000062", "4915100000063", "4915100000064");
    assertThat(phones).doesNotContain(own);

    Api.Response unknownGroup =
        tenant
            .api()
            .post(
                GROUPS + "/from-wa-groups",
                Map.of(
                    "name",
                    "Nobody",
                    "wa_groups",
                    List.of(
                        Map.of("wa_group_id", "120363999999999999@g.us", "session_id", session))));
    assertThat(unknownGroup.status()).isEqualTo(404);
    Api.Response notAGroup =
        tenant
            .api()
            .post(
                GROUPS + "/from-wa-groups",
                Map.of(
                    "name",
                    "Nobody",
                    "wa_groups",
                    List.of(Map.of("wa_group_id", "4915100000061@c.us", "session_id", session))));
    assertThat(notAGroup.status()).isEqualTo(422);
    assertThat(
            tenant
                .api()
                .post(GROUPS + "/from-wa-groups", Map.of("name", "Nobody", "wa_groups", List.of()))
                .status())
        .isEqualTo(422);
    TestTenant stranger = newTenant();
    Api.Response foreignSession =
        stranger
            .api()
            .post(
                GROUPS + "/from-wa-groups",
                Map.of(
                    "name",
                    "Stolen",
                    "wa_groups",
                    List.of(Map.of("wa_group_id", lisbon, "session_id", session))));
    assertThat(foreignSession.status()).isEqualTo(404);
    assertThat(stranger.api().get(GROUPS + "/wa-groups").json().get("total").asInt()).isZero();
    assertThat(tenant.api().get(GROUPS).json().get("total").asLong()).isEqualTo(1);

    tenant.api().post("/api/v2/sessions/" + session + "/stop");
    tenant.awaitSessionStatus(session, "stopped");
    Api.Response stopped =
        tenant
            .api()
            .post(
                GROUPS + "/from-wa-groups",
                Map.of(
                    "name",
                    "Later",
                    "wa_groups",
                    List.of(Map.of("wa_group_id", lisbon, "session_id", session))));
    assertThat(stopped.status()).isEqualTo(409);
    assertThat(tenant.api().get(GROUPS + "/wa-groups").json().get("total").asInt()).isZero();
  }

  @Test
  void contactsAreEveryDistinctPhoneNumberTheTenantsSessionsHaveSeen() {
    TestTenant tenant = newTenant();
    String first = tenant.workingSession();
    String second = tenant.workingSession();
    tenant.contactWrites(first, "4915100000071", "Hello from one");
    tenant.contactWrites(second, "4915100000071", "Hello from the same person to the other number");
    tenant.contactWrites(second, "4915100000072", "Hi");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> {
          JsonNode contacts = tenant.api().get(GROUPS + "/contacts").json();
          assertThat(contacts.get("total").asInt()).isEqualTo(2);
          assertThat(contacts.at("/items/0/phone").asText()).isEqualTo("4915100000071");
          assertThat(contacts.at("/items/0/session_ids")).hasSize(2);
          assertThat(contacts.at("/items/1/phone").asText()).isEqualTo("4915100000072");
        });
    assertThat(
            tenant
                .api()
                .get(GROUPS + "/contacts?limit=1&offset=1")
                .json()
                .at("/items/0/phone")
                .asText())
        .isEqualTo("4915100000072");
    assertThat(newTenant().api().get(GROUPS + "/contacts").json().get("total").asInt()).isZero();
  }
}
