package io.flowmate.messaging.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Message types keep the stored and JSON values they had as strings. */
class MessageTypeTests {

  @Test
  void valuesAreTheNamesTheApiAndTheDatabaseUse() {
    assertThat(Arrays.stream(MessageType.values()).map(MessageType::value))
        .containsExactly(
            "text",
            "image",
            "video",
            "document",
            "audio",
            "voice",
            "sticker",
            "gif",
            "poll",
            "location",
            "contact",
            "reaction",
            "unknown");
  }

  @Test
  void everyValueReadsBackAsItsType() {
    for (MessageType type : MessageType.values()) {
      assertThat(MessageType.of(type.value())).isEqualTo(type);
    }
  }

  @Test
  void aKindThisVersionDoesNotKnowIsUnknown() {
    assertThat(MessageType.of("ptt")).isEqualTo(MessageType.UNKNOWN);
    assertThat(MessageType.of("TEXT")).isEqualTo(MessageType.UNKNOWN);
  }
}
