package io.flowmate.leads.groups;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Keyword matching: one automaton over many groups' keywords, by whole words, without case or
 * accents.
 */
class KeywordAutomatonTests {

  private static KeywordAutomaton<String> one(String... keywords) {
    return KeywordAutomaton.of(Map.of("g", List.of(keywords)));
  }

  @ParameterizedTest(name = "{0} in \"{1}\": {2} {3}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          price        | What's the PRICE?                          | true | case
          price        | priceless painting                         | false | word boundary at the end
          price        | overprice                                  | false | word boundary at the start
          price        | price-list attached                        | true | punctuation is a boundary
          price        | price,price                                | true |
          looking for  | Looking   for a flat                       | true | any whitespace between words
          looking for  | LOOKING... for a flat                      | true | punctuation between words
          looking for  | looking\tfor a flat                         | true |
          looking for  | looking forward to it                      | false | phrase end is a boundary too
          looking for  | for looking                                | false |
          orçamento    | Qual o ORCAMENTO?                          | true | accent-insensitive (pt)
          orcamento    | Qual o Orçamento?                          | true |
          viewing      | VIEWING tomorrow?                          | true |
          café         | cafe au lait                               | true |
          naïve        | NAIVE question                             | true |
          straße       | Strasse 5 zu verkaufen                     | true | ß reads ss
          STRASSE      | Hauptstraße                                | false | ss, but not a word of its own
          größe        | GRÖSSE 42?                                 | true |
          fiyat        | FİYAT nedir?                               | true | Turkish dotted capital I
          fiyat        | fıyat                                      | true | dotless i reads i
          ıstanbul     | Istanbul'da ev                             | true |
          цена         | Какая ЦЕНА?                                | true | Cyrillic case
          цена         | бесценная                                  | false |
          τιμή         | ΤΙΜΗ παρακαλώ                              | true | Greek: case and tonos
          préstamo     | busco PRESTAMO urgente                     | true | es
          2 bedrooms   | 2-bedrooms flat                            | true | digits are word characters
          2 bedrooms   | 12 bedrooms                                | false |
          价格          | 请问这个价格多少?                            | true | no spaces between Chinese words
          家賃          | この部屋の家賃はいくらですか                  | true | Japanese
          ราคา         | ราคาเท่าไหร่ครับ                              | true | Thai
          가격          | 가격이 얼마예요?                              | true | Korean particle attached
          ﬁnance       | finance options                            | true | compatibility ligature
          e-mail       | send me an email                           | false | e-mail is two words
          e-mail       | my e mail is                               | true |
          """)
  void matchesWholeWordsWithoutCaseOrAccents(
      String keyword, String text, boolean expected, String why) {
    assertThat(one(keyword).match(text, "g"))
        .as("%s in %s", keyword, text)
        .hasSize(expected ? 1 : 0);
  }

  @Test
  void answersWhichKeywordsOfWhichGroupsMatched() {
    KeywordAutomaton<String> automaton =
        KeywordAutomaton.of(
            Map.of(
                "lisbon", List.of("budget", "bedrooms", "viewing"),
                "porto", List.of("viewing", "T2"),
                "cars", List.of("diesel")));

    Map<String, List<String>> found =
        automaton.match("Budget 300k, need 2 bedrooms. Viewing on Sunday?");

    assertThat(found).containsOnlyKeys("lisbon", "porto");
    assertThat(found.get("lisbon")).containsExactly("budget", "bedrooms", "viewing");
    assertThat(found.get("porto")).containsExactly("viewing");
    assertThat(automaton.match("Any T2 for rent?", "porto")).containsExactly("T2");
    assertThat(automaton.match("Any T2 for rent?", "lisbon")).isEmpty();
    assertThat(automaton.match("nothing relevant here")).isEmpty();
  }

  @Test
  void reportsEachKeywordOnceAsTheGroupWroteIt() {
    KeywordAutomaton<String> automaton = one("Orçamento", "VIEWING");

    assertThat(automaton.match("orcamento? ORÇAMENTO! viewing, viewing", "g"))
        .containsExactly("Orçamento", "VIEWING");
  }

  @Test
  void findsOverlappingAndNestedKeywords() {
    KeywordAutomaton<String> automaton =
        one("new york", "york city", "new york city", "york", "city");

    assertThat(automaton.match("Flats in New York City!", "g"))
        .containsExactlyInAnyOrder("new york", "york city", "new york city", "york", "city");
    assertThat(one("aa", "aaa").match("aa aaa aa", "g")).containsExactlyInAnyOrder("aa", "aaa");
    // "he", "she", "his", "hers": the textbook case, here as whole words only.
    assertThat(one("he", "she", "his", "hers").match("ushers he said", "g")).containsExactly("he");
  }

  @Test
  void keywordsThatReadTheSameAreOneKeywordPerGroup() {
    KeywordAutomaton<String> automaton =
        KeywordAutomaton.of(Map.of("a", List.of("Viewing", "viewing!"), "b", List.of("VIEWING")));

    assertThat(automaton.match("viewing?"))
        .containsEntry("a", List.of("Viewing"))
        .containsEntry("b", List.of("VIEWING"));
  }

  @Test
  void keywordsWithoutLettersOrDigitsAndEmptyTextsMatchNothing() {
    assertThat(KeywordAutomaton.pattern("?!")).isNull();
    assertThat(one("?!", "--").isEmpty()).isTrue();
    assertThat(one("price").match("", "g")).isEmpty();
    assertThat(one("price").match(null, "g")).isEmpty();
    assertThat(KeywordAutomaton.<String>empty().match("price", "g")).isEmpty();
    assertThat(KeywordAutomaton.pattern("Looking  FOR")).isEqualTo(" looking for ");
    assertThat(KeywordAutomaton.pattern("价格")).isEqualTo("价格");
    assertThat(KeywordAutomaton.pattern("iPhone 价格")).isEqualTo(" iphone 价格");
  }

  /**
   * 50 groups with 20 keywords each, one automaton: every group finds its own keywords, only those.
   */
  @Test
  void fiftyGroupsOfTwentyKeywordsAgreeWithAPlainSearch() {
    Random random = new Random(42);
    String[] vocabulary = vocabulary(random, 400);
    Map<UUID, List<String>> keywords = new LinkedHashMap<>();
    for (int g = 0; g < 50; g++) {
      List<String> own = new ArrayList<>();
      while (own.size() < 20) {
        String keyword =
            random.nextInt(4) == 0
                ? vocabulary[random.nextInt(vocabulary.length)]
                    + " "
                    + vocabulary[random.nextInt(vocabulary.length)]
                : vocabulary[random.nextInt(vocabulary.length)];
        if (!own.contains(keyword)) {
          own.add(keyword);
        }
      }
      keywords.put(UUID.randomUUID(), own);
    }
    KeywordAutomaton<UUID> automaton = KeywordAutomaton.of(keywords);

    for (int m = 0; m < 2_000; m++) {
      StringBuilder text = new StringBuilder();
      for (int w = 0, words = 3 + random.nextInt(25); w < words; w++) {
        String word = vocabulary[random.nextInt(vocabulary.length)];
        text.append(random.nextBoolean() ? word.toUpperCase() : word)
            .append(random.nextInt(5) == 0 ? ", " : " ");
      }
      String message = text.toString();
      Map<UUID, List<String>> found = automaton.match(message);
      String words = " " + message.toLowerCase().replaceAll("[^a-z0-9]+", " ").trim() + " ";
      keywords.forEach((group, own) -> {
        List<String> expected = own.stream().filter(k -> words.contains(" " + k + " ")).toList();
        assertThat(found.getOrDefault(group, List.of()))
            .as("group %s in %s", group, message)
            .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(automaton.match(message, group)).containsExactlyInAnyOrderElementsOf(expected);
      });
    }
  }

  /**
   * Words of 2-8 letters, many sharing prefixes and suffixes, so that failure links are exercised.
   */
  private static String[] vocabulary(Random random, int size) {
    String[] stems = {
      "rent", "sale", "flat", "room", "view", "buy", "price", "cost", "need", "look"
    };
    String[] words = new String[size];
    for (int i = 0; i < size; i++) {
      StringBuilder word = new StringBuilder(stems[random.nextInt(stems.length)]);
      for (int extra = random.nextInt(4); extra > 0; extra--) {
        word.append((char) ('a' + random.nextInt(6)));
      }
      words[i] = word.toString();
    }
    return words;
  }
}
