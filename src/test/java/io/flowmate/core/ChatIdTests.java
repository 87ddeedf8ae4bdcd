package io.flowmate.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChatIdTests {

  @ParameterizedTest
  @CsvSource(
      textBlock =
          """
          4915123456789@c.us,         4915123456789@c.us,          CONTACT
          4915123456789,              4915123456789@c.us,          CONTACT
          +49 151 2345-6789,          4915123456789@c.us,          CONTACT
          (555) 123-4567,             5551234567@c.us,             CONTACT
          120363012345678901@g.us,    120363012345678901@g.us,     GROUP
          4915123456789-1612345678@g.us, 4915123456789-1612345678@g.us, GROUP
          123456789012345@lid,        123456789012345@lid,         LID
          """)
  void acceptsTheReferenceFormsAndNormalisesPhoneNumbers(
      String raw, String expected, ChatId.Kind kind) {
    ChatId chat = ChatId.parse(raw);

    assertThat(chat.value()).isEqualTo(expected);
    assertThat(chat.kind()).isEqualTo(kind);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "abc",
        "+0049151",
        "123",
        "4915123456789@s.whatsapp.net",
        "x@c.us",
        "1234567890123456789@c.us"
      })
  void rejectsAnythingElseWithAReadableReason(String raw) {
    assertThatThrownBy(() -> ChatId.parse(raw))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("not a valid chat id")
        .hasMessageContaining("@c.us");
  }

  @org.junit.jupiter.api.Test
  void onlyContactChatsHaveAPhoneNumber() {
    assertThat(ChatId.parse("4915123456789").phoneNumber()).contains("4915123456789");
    assertThat(ChatId.parse("120363012345678901@g.us").phoneNumber()).isEmpty();
    assertThat(ChatId.parse("123456789012345@lid").phoneNumber()).isEmpty();
  }
}
