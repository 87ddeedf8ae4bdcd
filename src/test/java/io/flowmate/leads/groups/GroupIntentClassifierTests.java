package io.flowmate.leads.groups;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.leads.groups.GroupIntentClassifier.Analysis;
import io.flowmate.leads.groups.GroupIntentClassifier.Intent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rule-based stand-in for AI group analysis: intents in several languages, scores, reasons. */
class GroupIntentClassifierTests {

  private final GroupIntentClassifier classifier = new GroupIntentClassifier();

  @ParameterizedTest(name = "{1}: {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          Looking for a 2-bedroom flat, budget 300k                    | buying_intent
          Estou procurando um apartamento T2, orçamento 250 mil euros  | buying_intent
          Busco piso en Valencia, presupuesto 200.000€                 | buying_intent
          Je cherche un vélo électrique d'occasion                     | buying_intent
          Ich suche eine Wohnung in Berlin, kaufen oder mieten         | buying_intent
          Sto cercando una bici da corsa                               | buying_intent
          Ik zoek een fiets, wil kopen                                 | buying_intent
          İstanbul'da kiralık daire arıyorum                           | buying_intent
          How much is the blue one? Is it still available?             | product_inquiry
          Quanto custa o frete para Lisboa?                            | product_inquiry
          ¿Cuánto cuesta el envío?                                     | product_inquiry
          Wie viel kostet die Lieferung?                               | product_inquiry
          Bu ürünün fiyatı ne kadar?                                   | product_inquiry
          My order is not working, I need help                         | support_request
          O app não funciona, preciso de ajuda com um erro             | support_request
          Terrible service, still waiting for my refund. Scam!         | complaint
          Péssimo atendimento, quero reembolso                         | complaint
          Good morning everyone!                                       | off_topic
          Obrigado, bom dia a todos                                    | off_topic
          EARN MONEY FROM HOME NOW!!! CLICK HERE https://bit.ly/xyz    | spam_noise
          The weather was nice yesterday                               | unknown
          """)
  void recognisesIntentsInSeveralLanguages(String text, String intent) {
    Analysis analysis = classifier.classify(text, List.of(), null);

    assertThat(analysis.intent().value()).as(analysis.reason()).isEqualTo(intent);
    assertThat(analysis.leadScore()).isBetween(1, 10);
    assertThat(analysis.confidence()).isBetween(0.0, 1.0);
    assertThat(analysis.reason()).startsWith("rule-based: " + intent);
  }

  @Test
  void aStrongBuyerScoresHighAndTheReasonNamesEverySignal() {
    Analysis analysis =
        classifier.classify(
            "Looking for a 2-bedroom flat in Porto, budget 300k. Can I book a viewing?",
            List.of("viewing"),
            "people who want to rent a flat in Porto");

    assertThat(analysis.intent()).isEqualTo(Intent.BUYING_INTENT);
    assertThat(analysis.leadScore()).isGreaterThanOrEqualTo(8);
    assertThat(analysis.confidence()).isGreaterThan(0.5);
    assertThat(analysis.reason())
        .contains(
            "'looking for'",
            "'budget'",
            "amount '300k'",
            "keyword 'viewing'",
            "a question",
            "on topic 'porto'",
            "on topic 'flat'");
  }

  @Test
  void weakOrMixedSignalsScoreLowerThanStrongOnes() {
    Analysis weak = classifier.classify("price?", List.of(), null);
    Analysis strong =
        classifier.classify(
            "What's the price? Is it available, and what about delivery?", List.of(), null);
    Analysis mixed =
        classifier.classify(
            "Looking for a refund, terrible service, still waiting", List.of(), null);

    assertThat(weak.intent()).isEqualTo(Intent.PRODUCT_INQUIRY);
    assertThat(weak.leadScore()).isLessThan(strong.leadScore());
    assertThat(strong.leadScore()).isGreaterThanOrEqualTo(6);
    assertThat(mixed.intent()).isEqualTo(Intent.COMPLAINT);
    assertThat(mixed.confidence()).isLessThan(strong.confidence());
    assertThat(mixed.intent().isLead()).isFalse();
  }

  @Test
  void aLoneQuestionMarkOrNoTextIsUnknown() {
    assertThat(classifier.classify("Is it?", List.of(), null).intent()).isEqualTo(Intent.UNKNOWN);
    Analysis empty = classifier.classify(null, List.of(), null);
    assertThat(empty.intent()).isEqualTo(Intent.UNKNOWN);
    assertThat(empty.leadScore()).isEqualTo(1);
    assertThat(empty.reason()).contains("no text");
  }

  @Test
  void mentionsAreTheNumbersDigitsAfterAnAtSign() {
    assertThat(GroupDetection.mentions("@15550001234 do you rent bikes?", "15550001234")).isTrue();
    assertThat(GroupDetection.mentions("hey @15550001234", "15550001234")).isTrue();
    assertThat(GroupDetection.mentions("@155500012345 is someone else", "15550001234")).isFalse();
    assertThat(GroupDetection.mentions("call 15550001234", "15550001234")).isFalse();
    assertThat(GroupDetection.mentions("@155500012345 and @15550001234.", "15550001234")).isTrue();
    assertThat(GroupDetection.mentions(null, "15550001234")).isFalse();
    assertThat(GroupDetection.mentions("@15550001234", null)).isFalse();
  }
}
