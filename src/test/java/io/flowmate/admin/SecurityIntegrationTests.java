package io.flowmate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keys, scopes and tenant isolation, over HTTP. */
class SecurityIntegrationTests extends IntegrationTest {

  @Test
  void requestWithoutKeyIsRejectedWith401() {
    Api.Response response = anonymous().get("/api/v2/sessions");

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.text("detail")).contains("X-API-Key");
  }

  @Test
  void unknownKeyIsRejectedWith401() {
    assertThat(
            anonymous()
                .withKey("fm_doesNotExist0000000000000000000000000000")
                .get("/api/v2/sessions")
                .status())
        .isEqualTo(401);
    assertThat(anonymous().withKey("not-even-a-flowmate-key").get("/api/v2/sessions").status())
        .isEqualTo(401);
  }

  @Test
  void bearerAuthorizationWorksLikeTheHeader() {
    TestTenant tenant = newTenant();
    Api bearer = anonymous().withHeader("Authorization", "Bearer " + tenant.adminKey());

    assertThat(bearer.get("/api/v2/sessions").status()).isEqualTo(200);
  }

  /**
   * A key in the URL is never taken, not even by live event streams (they take single-use tickets;
   * see EventStreamAttackTests), so that keys stay out of URLs and logs.
   */
  @Test
  void aKeyInTheUrlIsNeverTaken() {
    TestTenant tenant = newTenant();

    assertThat(anonymous().get("/api/v2/sessions?token=" + tenant.adminKey()).status())
        .isEqualTo(401);
    assertThat(anonymous().get("/api/v2/messages/events/x?token=" + tenant.adminKey()).status())
        .isEqualTo(401);
    assertThat(anonymous().get("/api/v2/messages/events?token=" + tenant.adminKey()).status())
        .isEqualTo(401);
    assertThat(tenant.api().get("/api/v2/sessions?token=anything").status()).isEqualTo(200);
  }

  @Test
  void keyWithoutTheScopeGets403WithTheRequiredScopeNamed() {
    TestTenant tenant = newTenant();
    Api readOnly = tenant.keyWithScopes("sessions:read");

    Api.Response response = readOnly.post("/api/v2/sessions", Map.of("name", "x"));

    assertThat(response.status()).isEqualTo(403);
    assertThat(response.header("X-Required-Scopes")).isEqualTo("sessions:manage");
    assertThat(response.text("detail")).contains("sessions:manage");
    assertThat(readOnly.get("/api/v2/sessions").status()).isEqualTo(200);
  }

  @Test
  void manageScopeImpliesReadButSendDoesNotImplyRead() {
    TestTenant tenant = newTenant();

    assertThat(tenant.keyWithScopes("sessions:manage").get("/api/v2/sessions").status())
        .isEqualTo(200);
    Api sendOnly = tenant.keyWithScopes("messages:send");
    Api.Response read = sendOnly.get("/api/v2/messages/01a20fcc-aeab-740e-81e3-2ac5de3ab2a0");
    assertThat(read.status()).isEqualTo(403);
    assertThat(read.header("X-Required-Scopes")).isEqualTo("messages:read");
  }

  @Test
  void keyCannotCreateAKeyWithMoreRightsThanItHas() {
    TestTenant tenant = newTenant();
    Api keyManager = tenant.keyWithScopes("account:manage", "sessions:read");

    Api.Response escalation =
        keyManager.post(
            "/api/v2/api-keys", Map.of("name", "more", "scopes", List.of("messages:send")));
    Api.Response wildcard =
        keyManager.post("/api/v2/api-keys", Map.of("name", "all", "scopes", List.of("*")));
    Api.Response allowed =
        keyManager.post(
            "/api/v2/api-keys", Map.of("name", "less", "scopes", List.of("sessions:read")));

    assertThat(escalation.status()).isEqualTo(403);
    assertThat(escalation.text("detail")).contains("messages:send");
    assertThat(wildcard.status()).isEqualTo(403);
    assertThat(allowed.status()).isEqualTo(201);
  }

  @Test
  void onlyTheOperatorManagesTenants() {
    TestTenant tenant = newTenant();

    Api.Response response =
        tenant.api().post("/api/v2/admin/tenants", Map.of("name", "sneaky", "plan", "business"));

    assertThat(response.status()).isEqualTo(403);
    assertThat(response.header("X-Required-Scopes")).isEqualTo("tenants:manage");
    assertThat(tenant.api().get("/api/v2/admin/tenants").status()).isEqualTo(403);
  }

  @Test
  void tenantCannotSeeOrTouchAnotherTenantsObjects() {
    TestTenant alice = newTenant().allowingColdMessages();
    TestTenant bob = newTenant();
    String aliceSession = alice.workingSession();
    alice.api().patch("/api/v2/tenant/settings", Map.of("require_approval", true));
    Api.Response aliceMessage =
        alice
            .api()
            .post(
                "/api/v2/messages/send",
                Map.of(
                    "session_id", aliceSession, "chat_id", "4915100000003", "message", "private"));
    String messageId = aliceMessage.text("id");
    String approvalId = aliceMessage.text("approval_id");
    String aliceKeyId = alice.api().get("/api/v2/api-keys").json().get(0).get("id").asText();

    Api b = bob.api();
    assertThat(b.get("/api/v2/sessions/" + aliceSession).status()).isEqualTo(404);
    assertThat(b.post("/api/v2/sessions/" + aliceSession + "/stop").status()).isEqualTo(404);
    assertThat(b.delete("/api/v2/sessions/" + aliceSession).status()).isEqualTo(404);
    assertThat(b.get("/api/v2/messages/" + messageId).status()).isEqualTo(404);
    assertThat(b.get("/api/v2/approvals/" + approvalId).status()).isEqualTo(404);
    assertThat(b.post("/api/v2/approvals/" + approvalId + "/approve").status()).isEqualTo(404);
    assertThat(
            b.post("/api/v2/approvals/" + approvalId + "/reject", Map.of("reason", "x")).status())
        .isEqualTo(404);
    assertThat(b.get("/api/v2/api-keys/" + aliceKeyId).status()).isEqualTo(404);
    assertThat(b.delete("/api/v2/api-keys/" + aliceKeyId).status()).isEqualTo(404);
    assertThat(b.get("/api/v2/simulator/sessions/" + aliceSession + "/deliveries").status())
        .isEqualTo(404);
    Api.Response sendThroughAlice =
        b.post(
            "/api/v2/messages/send",
            Map.of("session_id", aliceSession, "chat_id", "4915100000004", "message", "hijack"));
    assertThat(sendThroughAlice.status()).isEqualTo(404);
    assertThat(b.get("/api/v2/sessions").json()).isEmpty();
    assertThat(b.get("/api/v2/approvals").json().get("total").asInt()).isZero();
    // Alice still sees all of hers.
    assertThat(alice.api().get("/api/v2/approvals/" + approvalId).text("status"))
        .isEqualTo("pending");
  }

  @Test
  void revokedAndRotatedSecretsStopWorkingAtOnce() {
    TestTenant tenant = newTenant();
    Api.Response created =
        tenant
            .api()
            .post("/api/v2/api-keys", Map.of("name", "ci", "scopes", List.of("sessions:read")));
    String id = created.text("id");
    Api original = tenant.api().withKey(created.text("raw_key"));
    assertThat(original.get("/api/v2/sessions").status()).isEqualTo(200);

    Api.Response rotated = tenant.api().post("/api/v2/api-keys/" + id + "/rotate");
    Api replacement = tenant.api().withKey(rotated.text("raw_key"));

    assertThat(rotated.status()).isEqualTo(200);
    assertThat(original.get("/api/v2/sessions").status()).isEqualTo(401);
    assertThat(replacement.get("/api/v2/sessions").status()).isEqualTo(200);

    assertThat(tenant.api().delete("/api/v2/api-keys/" + id).status()).isEqualTo(204);
    assertThat(replacement.get("/api/v2/sessions").status()).isEqualTo(401);
    assertThat(tenant.api().get("/api/v2/api-keys/" + id).json().get("is_active").asBoolean())
        .isFalse();
  }

  @Test
  void planRateLimitAnswers429WithRetryAfter() {
    TestTenant tenant = newTenant("free");
    // The bucket holds 60 and refills one a second: on a slow machine a few more than 60 pass
    // before the first 429, never fewer.
    Api.Response last = null;
    int passed = 0;
    for (int i = 0; i < 200; i++) {
      last = tenant.api().get("/api/v2/tenant/settings");
      if (last.status() == 429) {
        break;
      }
      passed++;
    }

    assertThat(last.status()).isEqualTo(429);
    assertThat(passed).isGreaterThanOrEqualTo(60);
    assertThat(last.header("Retry-After")).isNotNull();
    assertThat(last.header("X-RateLimit-Limit")).isEqualTo("60");
    assertThat(last.header("X-RateLimit-Remaining")).isEqualTo("0");
    assertThat(last.text("detail")).contains("60 requests per minute");
  }
}
