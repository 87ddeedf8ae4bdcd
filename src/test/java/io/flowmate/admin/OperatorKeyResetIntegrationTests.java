package io.flowmate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.support.AppInstance;
import io.flowmate.support.IntegrationTest;
import io.flowmate.support.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * An operator who lost the admin key starts Flowmate once with {@code
 * flowmate.admin.reset-operator-key=true}: that start prints a new operator key, revokes nothing,
 * and later starts without the option issue no further key.
 */
@ExtendWith(OutputCaptureExtension.class)
class OperatorKeyResetIntegrationTests {

  private final TestDatabase.Coordinates database = TestDatabase.newDatabase();

  @Test
  void aStartWithTheResetOptionPrintsANewOperatorKeyOnce(CapturedOutput output) {
    try (AppInstance first = AppInstance.start(database)) {
      assertThat(first.bean(FirstStart.class).generatedAdminKey()).isEmpty();
    }

    String newKey;
    try (AppInstance reset =
        AppInstance.start(database, Map.of("flowmate.admin.reset-operator-key", true))) {
      newKey = reset.bean(FirstStart.class).generatedAdminKey().orElseThrow();
      assertThat(newKey).isNotEqualTo(IntegrationTest.OPERATOR_KEY);
      assertThat(output.getOut()).contains("Admin API key (shown only this once", newKey);
      // The new key is the operator's: it holds the operator-only tenants scope.
      assertThat(reset.api(newKey).get("/api/v2/admin/tenants").status()).isEqualTo(200);
      // Nothing was revoked silently: the old key still works until the operator revokes it.
      assertThat(reset.operator().get("/api/v2/admin/tenants").status()).isEqualTo(200);
    }

    try (AppInstance later = AppInstance.start(database)) {
      assertThat(later.bean(FirstStart.class).generatedAdminKey()).isEmpty();
      assertThat(later.api(newKey).get("/api/v2/api-keys").status()).isEqualTo(200);
    }
  }
}
