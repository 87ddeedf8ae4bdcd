package io.flowmate.gateway.waha;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTests {

  private static final byte[] BODY =
      "{\"event\":\"message\",\"session\":\"default\"}".getBytes(StandardCharsets.UTF_8);
  private static final String EXPECTED =
      "7a64df97c352925fb629c9794c32c6a5e4f1fa8de44e6a2b72377c58928321c5"
          + "38ee8ae842fd5caa6ef3176a07ec9566c4e0a70ca60d96dc306deaf6f6840851";

  @Test
  void signsTheReferenceTestVector() {
    assertThat(WebhookSignature.sign("test-key", BODY)).isEqualTo(EXPECTED);
  }

  @Test
  void matchesOnlyTheExactBodyAndKey() {
    assertThat(WebhookSignature.matches("test-key", BODY, EXPECTED)).isTrue();
    assertThat(WebhookSignature.matches("test-key", BODY, " " + EXPECTED.toUpperCase() + " "))
        .isTrue();
    assertThat(WebhookSignature.matches("other-key", BODY, EXPECTED)).isFalse();
    assertThat(
            WebhookSignature.matches(
                "test-key", "{\"event\":\"message\"}".getBytes(StandardCharsets.UTF_8), EXPECTED))
        .isFalse();
    assertThat(WebhookSignature.matches("test-key", BODY, EXPECTED.substring(2))).isFalse();
    assertThat(WebhookSignature.matches("test-key", BODY, "")).isFalse();
  }
}
