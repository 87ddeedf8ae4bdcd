package io.flowmate;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.admin.FirstStart;
import io.flowmate.support.Api;
import io.flowmate.support.AppInstance;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first run with no database configured: Flowmate starts its own PostgreSQL with the data in a
 * directory, creates the operator tenant with a generated admin key, and finds everything again on
 * the next start.
 */
class ZeroSetupIntegrationTests {

  @TempDir Path dataDirectory;

  @Test
  void firstRunNeedsNothingAndTheNextRunFindsItsData() {
    Map<String, Object> noConfiguration =
        Map.of(
            "flowmate.db.embedded.data-directory",
            dataDirectory.resolve("postgres"),
            "flowmate.admin.bootstrap-key",
            "");
    String adminKey;
    String session;
    try (AppInstance first = AppInstance.startWithoutDatabase(noConfiguration)) {
      assertThat(first.operator().withoutKey().get("/actuator/health").text("status"))
          .isEqualTo("UP");
      adminKey = first.bean(FirstStart.class).generatedAdminKey().orElseThrow();
      Api api = first.api(adminKey);
      assertThat(api.get("/api/v2/tenant/settings").status()).isEqualTo(200);
      session = api.post("/api/v2/sessions", Map.of("name", "first")).text("id");
    }
    assertThat(dataDirectory.resolve("postgres").resolve("PG_VERSION")).exists();

    try (AppInstance second = AppInstance.startWithoutDatabase(noConfiguration)) {
      assertThat(second.bean(FirstStart.class).generatedAdminKey()).isEmpty();
      Api.Response sessions = second.api(adminKey).get("/api/v2/sessions");
      assertThat(sessions.status()).isEqualTo(200);
      assertThat(sessions.json().findValuesAsText("id")).containsExactly(session);
    }
  }
}
