package io.flowmate.outreach.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageTemplateTests {

  @Test
  void placeholdersTakeTheMembersValues() {
    String text =
        MessageTemplate.render(
            "Dear {name}, hi {first_name}! Invoice {invoice} for {PHONE}.",
            1,
            "4915100000001",
            "Ana Lima",
            Map.of("invoice", "R-17"));

    assertThat(text).isEqualTo("Dear Ana Lima, hi Ana! Invoice R-17 for 4915100000001.");
  }

  @Test
  void aFirstNameFieldWinsOverTheNamesFirstWord() {
    assertThat(
            MessageTemplate.render(
                "Hi {first_name}", 1, "1", "Dr. Ben Okafor", Map.of("first_name", "Ben")))
        .isEqualTo("Hi Ben");
  }

  @Test
  void aNameFieldStandsInForAMissingName() {
    assertThat(MessageTemplate.render("Dear {name}", 1, "1", null, Map.of("name", "Chloé Martin")))
        .isEqualTo("Dear Chloé Martin");
    assertThat(
            MessageTemplate.render("Hi {first_name}!", 1, "1", " ", Map.of("name", "Chloé Martin")))
        .isEqualTo("Hi Chloé!");
  }

  @Test
  void missingValuesLeaveNoStrayGaps() {
    assertThat(MessageTemplate.render("{name}\n\nSee you  soon", 1, "1", null, Map.of()))
        .isEqualTo("See you soon");
    assertThat(
            MessageTemplate.render("Hi {first_name}, your order is ready.", 1, "1", null, Map.of()))
        .isEqualTo("Hi, your order is ready.");
    assertThat(MessageTemplate.render("Price : {missing} 5", 1, "1", "A", Map.of()))
        .as("tidied only where a value was missing")
        .isEqualTo("Price: 5");
    assertThat(MessageTemplate.render("Price : 5 {name}", 1, "1", "A", Map.of()))
        .isEqualTo("Price : 5 A");
  }

  @Test
  void spinTextPicksTheSameOptionForTheSameSeedAndVariesAcrossRecipients() {
    String template = "{Hi|Hello|Hey} {first_name}, {great news|good news}!";
    Set<String> texts = new HashSet<>();
    for (long seed = 0; seed < 200; seed++) {
      String text = MessageTemplate.render(template, seed, "1", "Ana", Map.of());
      assertThat(MessageTemplate.render(template, seed, "1", "Ana", Map.of())).isEqualTo(text);
      assertThat(text).matches("(Hi|Hello|Hey) Ana, (great|good) news!");
      texts.add(text);
    }
    assertThat(texts).hasSize(6);
    assertThat(MessageTemplate.variety(template)).isEqualTo(6);
  }

  @Test
  void problemsAreNamed() {
    assertThat(MessageTemplate.problem("Hi {first_name")).contains("'{' without a matching '}'");
    assertThat(MessageTemplate.problem("Hi first_name}")).contains("'}' without a matching '{'");
    assertThat(MessageTemplate.problem("{a|{b}}")).get().asString().contains("nested");
    assertThat(MessageTemplate.problem("{Hi||Hello}")).get().asString().contains("empty option");
    assertThat(MessageTemplate.problem("{first name}"))
        .get()
        .asString()
        .contains("neither a placeholder");
    assertThat(MessageTemplate.problem("{Hi|Hello} {first_name}, 50% off")).isEmpty();
  }
}
