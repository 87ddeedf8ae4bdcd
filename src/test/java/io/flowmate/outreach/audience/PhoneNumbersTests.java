package io.flowmate.outreach.audience;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.core.ChatId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhoneNumbersTests {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          +49 151 2345-678            | 491512345678
          4915123456789               | 4915123456789
          4915123456789@c.us          | 4915123456789
          4915123456789@s.whatsapp.net| 4915123456789
          0049 (151) 2345 6789        | 4915123456789
          +1 (555) 123.4567           | 15551234567
          '  +351/912 345 678 '       | 351912345678
          +49\u00A0151\u00A023456789  | 4915123456789
          """)
  void acceptsCommonNotationsAndStoresE164DigitsWithoutPlus(String raw, String expected) {
    PhoneNumbers.Normalised normalised = PhoneNumbers.normalise(raw);

    assertThat(normalised.problem()).isNull();
    assertThat(normalised.phone()).isEqualTo(expected);
    // Campaigns turn members into chats: every accepted number must be a valid contact chat id.
    assertThat(ChatId.parse(normalised.phone()).kind()).isEqualTo(ChatId.Kind.CONTACT);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          ''                          | phone is missing
          '   '                       | phone is missing
          0151 2345678                | looks like a national number
          +0151 2345678               | country codes never start with 0
          12345                       | has 5 digits; an international number has 7 to 15
          +49 151 2345 6789 0123 45   | has 19 digits
          +49 151 CALL ME             | is not a phone number
          49+1512345678               | is not a phone number
          120363012345678901@g.us     | is a WhatsApp group id
          123456789012345@lid         | is a linked id (LID)
          anna@example.com            | is not a phone number
          """)
  void refusesEverythingElseWithAReason(String raw, String reason) {
    PhoneNumbers.Normalised normalised = PhoneNumbers.normalise(raw);

    assertThat(normalised.valid()).isFalse();
    assertThat(normalised.phone()).isNull();
    assertThat(normalised.problem()).contains(reason);
  }

  @org.junit.jupiter.api.Test
  void aMissingNumberIsRefusedToo() {
    assertThat(PhoneNumbers.normalise(null).problem()).isEqualTo("phone is missing");
  }

  @org.junit.jupiter.api.Test
  void longInputIsCutShortInTheReason() {
    String problem = PhoneNumbers.normalise("x".repeat(10_000)).problem();

    assertThat(problem).hasSizeLessThan(200).contains("...");
  }
}
