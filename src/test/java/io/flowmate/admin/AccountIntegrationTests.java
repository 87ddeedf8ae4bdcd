package io.flowmate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** API keys, tenant settings and plans as a tenant administrator uses them. */
class AccountIntegrationTests extends IntegrationTest {

  @Test
  void createdKeyShowsItsSecretOnceAndNeverAgain() {
    TestTenant tenant = newTenant();

    Api.Response created =
        tenant
            .api()
            .post(
                "/api/v2/api-keys",
                Map.of(
                    "name",
                    "zapier",
                    "scopes",
                    List.of("messages:send", "sessions:read"),
                    "expires_in_days",
                    90));

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.text("raw_key")).startsWith("fm_").hasSize(43);
    assertThat(created.text("key_prefix")).isEqualTo(created.text("raw_key").substring(0, 9));
    assertThat(created.json().get("scopes").toString())
        .isEqualTo("[\"messages:send\",\"sessions:read\"]");
    assertThat(created.text("expires_at")).isNotNull();
    assertThat(created.json().get("is_active").asBoolean()).isTrue();
    Api.Response listed = tenant.api().get("/api/v2/api-keys");
    assertThat(listed.body()).doesNotContain(created.text("raw_key")).doesNotContain("raw_key");
    assertThat(listed.json().findValuesAsText("name")).contains("admin", "zapier");
  }

  @Test
  void presetExpandsToItsScopes() {
    Api.Response created =
        newTenant().api().post("/api/v2/api-keys", Map.of("name", "ro", "preset", "read_only"));

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("scopes").toString())
        .contains("sessions:read", "messages:read")
        .doesNotContain("manage");
  }

  @Test
  void scopesAreRequiredAndMustBeKnown() {
    Api api = newTenant().api();

    Api.Response none = api.post("/api/v2/api-keys", Map.of("name", "x"));
    Api.Response unknown =
        api.post("/api/v2/api-keys", Map.of("name", "x", "scopes", List.of("messages:delete")));

    assertThat(none.status()).isEqualTo(422);
    assertThat(none.text("detail")).contains("scopes is required");
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.text("detail")).contains("messages:delete");
  }

  @Test
  void scopeCatalogListsFamiliesAndPresets() {
    Api.Response catalog = newTenant().api().get("/api/v2/api-keys/scopes");

    assertThat(catalog.json().get("families").get("messages").toString())
        .isEqualTo("[\"read\",\"send\"]");
    assertThat(catalog.json().get("presets").has("messaging")).isTrue();
    assertThat(catalog.json().get("presets").has("outreach")).isTrue();
    assertThat(catalog.json().get("presets").has("read_only")).isTrue();
  }

  @Test
  void settingsHaveSafeDefaultsAndChangeFieldByField() {
    Api api = newTenant().api();

    Api.Response defaults = api.get("/api/v2/tenant/settings");
    Api.Response patched =
        api.patch(
            "/api/v2/tenant/settings",
            Map.of(
                "allowed_numbers",
                List.of("+49 151 2345-6789", "4915100000009@c.us"),
                "timezone",
                "America/New_York"));

    assertThat(defaults.json().get("require_approval").asBoolean()).isFalse();
    assertThat(defaults.json().get("reciprocity_check").asBoolean()).isTrue();
    assertThat(defaults.json().get("chat_history_access_enabled").asBoolean()).isFalse();
    assertThat(defaults.text("timezone")).isEqualTo("UTC");
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json().get("allowed_numbers").toString())
        .isEqualTo("[\"4915123456789\",\"4915100000009\"]");
    assertThat(patched.text("timezone")).isEqualTo("America/New_York");
    assertThat(patched.json().get("reciprocity_check").asBoolean()).isTrue();
    assertThat(api.get("/api/v2/tenant/settings").text("timezone")).isEqualTo("America/New_York");
  }

  @Test
  void invalidSettingsAre422() {
    Api api = newTenant().api();

    assertThat(
            api.patch("/api/v2/tenant/settings", Map.of("timezone", "Mars/Olympus")).text("detail"))
        .contains("IANA");
    assertThat(
            api.patch("/api/v2/tenant/settings", Map.of("allowed_numbers", List.of("12ab")))
                .status())
        .isEqualTo(422);
  }

  @Test
  void planLimitsAreListedAndCapSessions() {
    TestTenant free = newTenant("free");

    Api.Response plans = free.api().get("/api/v2/billing/plans");
    Api.Response first = free.api().post("/api/v2/sessions", Map.of("name", "one"));
    Api.Response second = free.api().post("/api/v2/sessions", Map.of("name", "two"));

    assertThat(plans.json().get("plans").findValuesAsText("messages_per_minute"))
        .containsExactly("10", "20", "40", "60");
    assertThat(free.api().get("/api/v2/billing/plan").text("plan")).isEqualTo("free");
    assertThat(first.status()).isEqualTo(201);
    assertThat(second.status()).isEqualTo(403);
    assertThat(second.text("detail")).contains("Free plan allows 1 session");
  }

  @Test
  void sessionNamesAreUniquePerTenant() {
    Api api = newTenant().api();

    assertThat(api.post("/api/v2/sessions", Map.of("name", "sales")).status()).isEqualTo(201);
    Api.Response duplicate = api.post("/api/v2/sessions", Map.of("name", "sales"));
    assertThat(duplicate.status()).isEqualTo(409);
  }
}
