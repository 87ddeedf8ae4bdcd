package io.flowmate.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.messaging.events.MessageStatusChanged;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Typed ids travel in persisted events, live-stream payloads and API answers: their JSON must be
 * the plain UUID string the raw UUIDs were, or events persisted before an upgrade would not be read
 * back and clients would see objects where they saw strings.
 */
class TypedIdTests {

  private static final UUID SESSION = UUID.fromString("0190f3a2-5c1e-7a3b-9d2e-1f2a3b4c5d6e");
  private static final UUID MESSAGE = UUID.fromString("0190f3a2-6d2f-7b4c-8e3f-2a3b4c5d6e7f");

  private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();

  @Test
  void writesEachIdAsThePlainUuidString() throws Exception {
    for (Object id :
        new Object[] {
          SessionId.of(SESSION),
          MessageId.of(SESSION),
          CampaignId.of(SESSION),
          LeadId.of(SESSION),
          ApprovalId.of(SESSION)
        }) {
      assertThat(json.writeValueAsString(id)).isEqualTo('"' + SESSION.toString() + '"');
      assertThat(id).hasToString(SESSION.toString());
    }
  }

  @Test
  void anEventWithTypedIdsHasTheJsonItHadWithRawUuidsAndReadsBack() throws Exception {
    MessageStatusChanged event =
        new MessageStatusChanged(
            TenantId.of(UUID.randomUUID()),
            SessionId.of(SESSION),
            MessageId.of(MESSAGE),
            "sent",
            Instant.parse("2026-03-02T09:00:00Z"),
            "queued",
            "4915123456789@c.us",
            null,
            null,
            null,
            Instant.parse("2026-03-02T09:00:00Z"));

    JsonNode written = json.valueToTree(event);

    assertThat(written.get("sessionId").isTextual()).isTrue();
    assertThat(written.get("sessionId").asText()).isEqualTo(SESSION.toString());
    assertThat(written.get("messageId").asText()).isEqualTo(MESSAGE.toString());
    assertThat(json.readValue(json.writeValueAsString(event), MessageStatusChanged.class))
        .isEqualTo(event);
  }

  @Test
  void readsThePlainUuidString() throws Exception {
    assertThat(json.readValue('"' + MESSAGE.toString() + '"', MessageId.class))
        .isEqualTo(MessageId.of(MESSAGE));
  }

  @Test
  void refusesNull() {
    assertThatThrownBy(() -> SessionId.of(null)).isInstanceOf(NullPointerException.class);
  }
}
