package io.flowmate.admin.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.core.TenantId;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Attacks on API key management: a key reaching keys stronger than itself. */
class ApiKeyAttackTests extends IntegrationTest {

  @Autowired ApiKeyService keys;

  /**
   * A key with only account:manage rotates the tenant's {@code *} key to receive its new secret.
   */
  @Test
  void narrowKeyCannotRotateTheWildcardKey() {
    TestTenant tenant = newTenant();
    Api narrow = tenant.keyWithScopes("account:manage");

    Api.Response rotated = narrow.post("/api/v2/api-keys/" + adminKeyId(tenant) + "/rotate");

    assertThat(rotated.status()).as(rotated.toString()).isEqualTo(403);
    assertThat(rotated.header("Content-Type")).startsWith("application/problem+json");
    assertThat(rotated.text("detail")).contains("*");
    assertThat(rotated.body()).doesNotContain("raw_key");
    assertThat(tenant.api().get("/api/v2/sessions").status()).isEqualTo(200);
  }

  /** A key with only account:manage revokes the tenant's {@code *} key (a denial of service). */
  @Test
  void narrowKeyCannotRevokeTheWildcardKey() {
    TestTenant tenant = newTenant();
    Api narrow = tenant.keyWithScopes("account:manage");

    Api.Response revoked = narrow.delete("/api/v2/api-keys/" + adminKeyId(tenant));

    assertThat(revoked.status()).as(revoked.toString()).isEqualTo(403);
    assertThat(tenant.api().get("/api/v2/sessions").status()).isEqualTo(200);
  }

  /** A key with only account:manage reads the details of a key holding scopes it lacks. */
  @Test
  void narrowKeyCannotReadAStrongerKey() {
    TestTenant tenant = newTenant();
    Api narrow = tenant.keyWithScopes("account:manage");
    String sender = keyId(tenant, "messages:send");

    assertThat(narrow.get("/api/v2/api-keys/" + adminKeyId(tenant)).status()).isEqualTo(403);
    Api.Response stronger = narrow.get("/api/v2/api-keys/" + sender);
    assertThat(stronger.status()).isEqualTo(403);
    assertThat(stronger.text("detail")).contains("messages:send");
  }

  /** A key rotates a key holding one scope more than itself (messages:send) to gain that scope. */
  @Test
  void keyCannotRotateAKeyWithAScopeItLacks() {
    TestTenant tenant = newTenant();
    Api manager = tenant.keyWithScopes("account:manage", "sessions:read");
    String sender = keyId(tenant, "sessions:read", "messages:send");
    String reader = keyId(tenant, "sessions:read");

    Api.Response escalation = manager.post("/api/v2/api-keys/" + sender + "/rotate");
    Api.Response allowed = manager.post("/api/v2/api-keys/" + reader + "/rotate");

    assertThat(escalation.status()).isEqualTo(403);
    assertThat(escalation.text("detail")).contains("messages:send");
    assertThat(allowed.status()).as(allowed.toString()).isEqualTo(200);
    assertThat(manager.delete("/api/v2/api-keys/" + sender).status()).isEqualTo(403);
    assertThat(manager.delete("/api/v2/api-keys/" + reader).status()).isEqualTo(204);
  }

  /** In the operator tenant, a narrow key rotates the operator's key that manages every tenant. */
  @Test
  void narrowOperatorKeyCannotRotateAKeyThatManagesTenants() {
    Api narrow = keyOf(operator(), "account:manage");
    String tenantsManager = keyIdOf(operator(), "tenants:manage");

    Api.Response rotated = narrow.post("/api/v2/api-keys/" + tenantsManager + "/rotate");

    assertThat(rotated.status()).isEqualTo(403);
    assertThat(rotated.text("detail")).contains("tenants:manage");
  }

  /** A key of an ordinary tenant that holds a tenants scope (forged row) manages a tenants key. */
  @Test
  void tenantsScopesNeedTheOperatorTenant() {
    TestTenant tenant = newTenant();
    TenantId id = TenantId.of(tenant.id());
    Api forged =
        tenant
            .api()
            .withKey(
                keys.issue(id, "forged", Set.of("account:manage", "tenants:read"), null)
                    .rawKey()
                    .value());
    String target = keys.issue(id, "target", Set.of("tenants:read"), null).key().id().toString();

    Api.Response created =
        forged.post("/api/v2/api-keys", Map.of("name", "more", "scopes", List.of("tenants:read")));
    Api.Response rotated = forged.post("/api/v2/api-keys/" + target + "/rotate");

    assertThat(created.status()).as(created.toString()).isEqualTo(403);
    assertThat(created.text("detail")).contains("operator");
    assertThat(rotated.status()).as(rotated.toString()).isEqualTo(403);
    assertThat(rotated.text("detail")).contains("operator");
  }

  private String adminKeyId(TestTenant tenant) {
    for (var key : tenant.api().get("/api/v2/api-keys").json()) {
      if (key.get("scopes").toString().equals("[\"*\"]")) {
        return key.get("id").asText();
      }
    }
    throw new AssertionError("The tenant has no * key");
  }

  private static String keyId(TestTenant tenant, String... scopes) {
    return keyIdOf(tenant.api(), scopes);
  }

  private static String keyIdOf(Api creator, String... scopes) {
    Api.Response key =
        creator.post("/api/v2/api-keys", Map.of("name", "k", "scopes", List.of(scopes)));
    assertThat(key.status()).as(key.toString()).isEqualTo(201);
    return key.text("id");
  }

  private static Api keyOf(Api creator, String... scopes) {
    Api.Response key =
        creator.post("/api/v2/api-keys", Map.of("name", "k", "scopes", List.of(scopes)));
    assertThat(key.status()).as(key.toString()).isEqualTo(201);
    return creator.withKey(key.text("raw_key"));
  }
}
