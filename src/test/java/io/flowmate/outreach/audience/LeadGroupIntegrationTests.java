package io.flowmate.outreach.audience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /leads/bulk/add-to-group}: leads' numbers and names land in a custom group, unknown
 * leads are reported one by one, a second call skips what is there; the Pro+ gate, scopes and other
 * tenants' groups.
 */
class LeadGroupIntegrationTests extends IntegrationTest {

  private static final String ADD = "/api/v2/leads/bulk/add-to-group";

  private static String lead(TestTenant tenant, String phone, String name) {
    Api.Response created =
        tenant.api().post("/api/v2/leads", Map.of("contact_phone", phone, "contact_name", name));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  private static String group(TestTenant tenant) {
    Api.Response created =
        tenant
            .api()
            .post("/api/v2/custom-groups", Map.of("name", "Hot leads " + UUID.randomUUID()));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  @Test
  void leadsAreCopiedIntoTheGroupAndUnknownOnesReportedEachOnItsOwn() {
    TestTenant tenant = newTenant("pro");
    String ana = lead(tenant, "4915100050001", "Ana");
    String ben = lead(tenant, "4915100050002", "Ben");
    String unknown = UUID.randomUUID().toString();
    String group = group(tenant);

    Api.Response added =
        tenant
            .api()
            .post(
                ADD, Map.of("lead_ids", List.of(ana, ben, unknown, ana), "custom_group_id", group));

    assertThat(added.status()).as(added.toString()).isEqualTo(200);
    JsonNode result = added.json();
    assertThat(result.get("added").asLong()).isEqualTo(2);
    assertThat(result.get("failed").asLong()).isEqualTo(1);
    assertThat(result.get("member_count").asLong()).isEqualTo(2);
    assertThat(result.at("/errors/0/lead_id").asText()).isEqualTo(unknown);
    assertThat(result.at("/errors/0/detail").asText()).contains("not found");
    JsonNode members = tenant.api().get("/api/v2/custom-groups/" + group).json().get("members");
    assertThat(members.findValuesAsText("phone"))
        .containsExactlyInAnyOrder("4915100050001", "4915100050002");
    assertThat(members.findValuesAsText("name")).containsExactlyInAnyOrder("Ana", "Ben");

    JsonNode again =
        tenant
            .api()
            .post(ADD, Map.of("lead_ids", List.of(ana, ben), "custom_group_id", group))
            .json();
    assertThat(again.get("added").asLong()).isZero();
    assertThat(again.get("skipped").asLong()).isEqualTo(2);
    assertThat(again.get("member_count").asLong()).isEqualTo(2);
  }

  @Test
  void badRequestsPlansScopesAndOtherTenantsAreRefused() {
    TestTenant tenant = newTenant("pro");
    String lead = lead(tenant, "4915100050003", "Cleo");
    String group = group(tenant);

    assertThat(tenant.api().post(ADD, Map.of("custom_group_id", group)).text("detail"))
        .contains("lead_ids");
    assertThat(tenant.api().post(ADD, Map.of("lead_ids", List.of(lead))).text("detail"))
        .contains("custom_group_id");
    assertThat(
            tenant
                .api()
                .post(ADD, Map.of("lead_ids", List.of(lead), "custom_group_id", UUID.randomUUID()))
                .status())
        .isEqualTo(404);

    TestTenant other = newTenant("pro");
    String othersLead = lead(other, "4915100050004", "Dan");
    Api.Response foreignGroup =
        other.api().post(ADD, Map.of("lead_ids", List.of(othersLead), "custom_group_id", group));
    assertThat(foreignGroup.status()).isEqualTo(404);
    Api.Response foreignLead =
        tenant.api().post(ADD, Map.of("lead_ids", List.of(othersLead), "custom_group_id", group));
    assertThat(foreignLead.json().get("failed").asLong()).isEqualTo(1);
    assertThat(tenant.api().get("/api/v2/custom-groups/" + group).json().get("members")).isEmpty();

    Api.Response readOnly =
        tenant
            .keyWithScopes("leads:read", "custom-groups:read")
            .post(ADD, Map.of("lead_ids", List.of(lead), "custom_group_id", group));
    assertThat(readOnly.status()).isEqualTo(403);

    TestTenant starter = newTenant("starter");
    Api.Response gated =
        starter
            .api()
            .post(
                ADD,
                Map.of(
                    "lead_ids",
                    List.of(lead(starter, "4915100050005", "Eve")),
                    "custom_group_id",
                    group(starter)));
    assertThat(gated.status()).isEqualTo(403);
    assertThat(gated.text("detail")).contains("Pro");
  }
}
