package io.flowmate;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.core.LogSafe;
import io.flowmate.core.MessageId;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.gateway.spi.TransportEvent;
import io.flowmate.gateway.spi.TransportEventListener;
import io.flowmate.messaging.events.MessageReceived;
import io.flowmate.messaging.events.MessageStatusChanged;
import io.flowmate.support.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Attacks on the log: a contact writes text with line breaks that forge log lines, and personal
 * data (message text, phone numbers, push names) reaches the log through failures and debug output.
 * Logs carry ids; anything user-controlled that does reach them is one line.
 */
@ExtendWith(OutputCaptureExtension.class)
@Import(LogInjectionAttackTests.FailingListener.class)
class LogInjectionAttackTests extends IntegrationTest {

  private static final String FORGED =
      "2026-12-07T10:00:00.000Z  INFO 1 --- [main] FORGED: admin key rotated";

  /**
   * A contact's message with CR/LF and a forged log line, that a transport listener fails on, is
   * logged as its type and ids: no text, no phone number, no push name, no forged line.
   */
  @Test
  void aFailingTransportListenerLogsIdsNotTheMessage(CapturedOutput output) {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    String phone = "4915112340001";

    tenant
        .api()
        .post(
            "/api/v2/simulator/sessions/" + session + "/inbound",
            Map.of(
                "from",
                phone,
                "sender_name",
                "Ana\r\nPushName",
                "message",
                FailingListener.TRIGGER + " secret text\r\n" + FORGED));

    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> output.getOut().contains("failed on MessageReceived"));
    assertThat(output.getOut()).doesNotContain(phone, "secret text", "PushName");
    assertThat(output.getOut().lines()).noneMatch(line -> line.startsWith(FORGED));
  }

  /** An opt-out is logged with the message's id, not the phone number that sent it. */
  @Test
  void anOptOutIsLoggedWithoutThePhoneNumber(CapturedOutput output) {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    String phone = "4915112340003";

    tenant.contactWrites(session, phone, "STOP");

    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> output.getOut().contains("opted out"));
    assertThat(output.getOut()).doesNotContain(phone);
  }

  /**
   * Messaging's events, which anything may log whole (Spring Modulith keeps them while a listener
   * fails), name ids only in their text form: no chat, phone number or failure text.
   */
  @Test
  void messagingEventsPrintIdsOnly() {
    TenantId tenant = new TenantId(UUID.randomUUID());
    UUID message = UUID.randomUUID();
    MessageReceived received =
        new MessageReceived(
            tenant,
            SessionId.of(UUID.randomUUID()),
            MessageId.of(message),
            "4915112340004@c.us",
            null,
            false,
            "text",
            Instant.now(),
            "4915112340004");
    MessageStatusChanged changed =
        new MessageStatusChanged(
            tenant,
            SessionId.of(UUID.randomUUID()),
            MessageId.of(message),
            "failed",
            Instant.now(),
            "sent",
            "4915112340004@c.us",
            null,
            null,
            "recipient\nFORGED",
            null);

    assertThat(received.toString()).contains(message.toString()).doesNotContain("4915112340004");
    assertThat(changed.toString())
        .contains(message.toString())
        .doesNotContain("4915112340004", "FORGED");
  }

  /** Every character that can break or disguise a log line is replaced. */
  @Test
  void logSafeTextIsOneLineOfVisibleCharacters() {
    String attack = "a\rb\nc\u0000d\u001b[31me\u0085f\u2028g\u2029h\u202ei\u007fj\tk";

    String safe = LogSafe.text(attack);

    assertThat(safe).isEqualTo("a_b_c_d_[31me_f_g_h_i_j_k");
    assertThat(LogSafe.text(null)).isEqualTo("null");
    assertThat(LogSafe.text("x".repeat(1000))).hasSizeLessThan(300).endsWith("…");
  }

  /** A transport listener that fails on messages carrying the trigger word, as a bug would. */
  @TestConfiguration(proxyBeanMethods = false)
  static class FailingListener {

    static final String TRIGGER = "FAIL-THIS-LISTENER";

    @Bean
    TransportEventListener failingListener() {
      return event -> {
        if (event instanceof TransportEvent.MessageReceived received
            && received.content() != null
            && received.content().text() != null
            && received.content().text().startsWith(TRIGGER)) {
          throw new IllegalStateException("the test listener fails on purpose");
        }
      };
    }
  }
}
