package io.flowmate.outreach;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PersonalisationTests {

  @Test
  void namesAndCustomFieldsAreFilledIn() {
    String text =
        Personalisation.apply(
            "Hi {first_name}, invoice {Invoice} for {name} is due on {due_date}.",
            "Ana Lima",
            Map.of("invoice", "2026-117", "due_date", "28 March"));

    assertThat(text).isEqualTo("Hi Ana, invoice 2026-117 for Ana Lima is due on 28 March.");
  }

  @Test
  void aFirstNameFieldWinsAndANameFieldStandsInForAMissingName() {
    assertThat(Personalisation.apply("Hi {first_name}", "Benjamin Okafor", Map.of("first_name", "Ben")))
        .isEqualTo("Hi Ben");
    assertThat(Personalisation.apply("Dear {name}", null, Map.of("name", "Chloé Martin"))).isEqualTo("Dear Chloé Martin");
    assertThat(Personalisation.apply("Hi {first_name}!", " ", Map.of("name", "Chloé Martin"))).isEqualTo("Hi Chloé!");
  }

  @Test
  void missingValuesLeaveNoStrayGaps() {
    assertThat(Personalisation.apply("Hi {first_name}, your order {order} is ready .", null, null))
        .isEqualTo("Hi, your order is ready.");
    assertThat(Personalisation.apply("{name}\n\nSee you  soon", null, Map.of())).isEqualTo("See you soon");
  }

  @Test
  void textWithoutPlaceholdersIsUnchanged() {
    assertThat(Personalisation.apply("Keep  {Hi|Hello} and {not a field} and {}  as written", "Ana", Map.of()))
        .isEqualTo("Keep  {Hi|Hello} and {not a field} and {}  as written");
    assertThat(Personalisation.apply(null, "Ana", Map.of())).isNull();
  }
}
