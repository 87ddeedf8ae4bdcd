package io.flowmate.leads.groups;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The classifier behind {@code monitor_mode: ai_analysis} until an AI module provides one: rule
 * based and explainable, not a language model. It looks for intent phrases in English, Portuguese,
 * Spanish, French, German, Italian, Dutch and Turkish (matched like keywords: whole words, no case,
 * no accents), plus a few signals of form: a question, an amount of money, links, shouting, the
 * group's own keywords and the words of its {@code monitor_prompt}. Each intent of the reference
 * API (§2.12) collects weighted signals; the strongest wins, the lead score (1-10) grows with its
 * strength for buying intent and product inquiries, and the reason names every signal that counted.
 * Confidence is the winner's share of all signals, so a message with mixed signals gets a low one.
 */
@Component
public class GroupIntentClassifier {

  public enum Intent {
    BUYING_INTENT,
    PRODUCT_INQUIRY,
    SUPPORT_REQUEST,
    COMPLAINT,
    OFF_TOPIC,
    SPAM_NOISE,
    UNKNOWN;

    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The intent stored as {@link #value()}. */
    static Intent of(String value) {
      return valueOf(value.toUpperCase(Locale.ROOT));
    }

    boolean isLead() {
      return this == BUYING_INTENT || this == PRODUCT_INQUIRY;
    }
  }

  /** The classification of one message (reference API's {@code ai_analysis}). */
  public record Analysis(Intent intent, int leadScore, double confidence, String reason) {}

  private static final Map<Intent, Double> PHRASE_WEIGHT =
      Map.of(
          Intent.BUYING_INTENT, 3.0,
          Intent.PRODUCT_INQUIRY, 2.0,
          Intent.SUPPORT_REQUEST, 2.0,
          Intent.COMPLAINT, 3.0,
          Intent.OFF_TOPIC, 1.0,
          Intent.SPAM_NOISE, 3.0);

  private static final Map<Intent, List<String>> PHRASES = phrases();

  private static final Pattern AMOUNT =
      Pattern.compile(
          "(?:[€$£¥₺₹]|R\\$|US\\$)\\s?\\d[\\d.,]*\\s?[kKmM]?|\\d[\\d.,]*\\s?(?:[kK]\\b|€|\\$|£|eur\\b|euros?\\b|usd\\b|dollars?\\b|reais\\b|tl\\b|lira\\b)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern LINK =
      Pattern.compile(
          "(?i)\\bhttps?://\\S+|\\bwww\\.\\S+|\\b[a-z0-9-]+\\.(?:ly|com|net|io|me|link)/\\S*");
  private static final int MIN_TOPIC_WORD = 4;

  private final KeywordAutomaton<Intent> phrases = KeywordAutomaton.of(PHRASES);

  /**
   * @param groupKeywords the group's keywords found in the message (buying signals: the tenant
   *     named them)
   * @param monitorPrompt what the tenant is looking for, in their words; its longer words found in
   *     the message make a buying or inquiring message more relevant
   */
  public Analysis classify(String text, List<String> groupKeywords, String monitorPrompt) {
    if (text == null || text.isBlank()) {
      return new Analysis(Intent.UNKNOWN, 1, 0.2, "rule-based: no text to read");
    }
    Map<Intent, Double> scores = new EnumMap<>(Intent.class);
    Map<Intent, List<String>> because = new EnumMap<>(Intent.class);
    phrases
        .match(text)
        .forEach((intent, found) -> {
          scores.merge(intent, PHRASE_WEIGHT.get(intent) * found.size(), Double::sum);
          found.forEach(phrase ->
              because.computeIfAbsent(intent, i -> new ArrayList<>()).add("'" + phrase + "'"));
        });
    List<String> form = new ArrayList<>();
    if (text.indexOf('?') >= 0 || text.indexOf('¿') >= 0) {
      scores.merge(Intent.PRODUCT_INQUIRY, 1.0, Double::sum);
      form.add("a question");
    }
    Matcher amount = AMOUNT.matcher(text);
    if (amount.find()) {
      scores.merge(Intent.BUYING_INTENT, 2.0, Double::sum);
      because
          .computeIfAbsent(Intent.BUYING_INTENT, i -> new ArrayList<>())
          .add("amount '" + amount.group().strip() + "'");
    }
    for (String keyword : groupKeywords.subList(0, Math.min(groupKeywords.size(), 2))) {
      scores.merge(Intent.BUYING_INTENT, 2.0, Double::sum);
      because
          .computeIfAbsent(Intent.BUYING_INTENT, i -> new ArrayList<>())
          .add("keyword '" + keyword + "'");
    }
    int links = 0;
    for (Matcher link = LINK.matcher(text); link.find(); ) {
      links++;
    }
    if (links > 0) {
      scores.merge(Intent.SPAM_NOISE, 2.0 + links, Double::sum);
      form.add(links == 1 ? "a link" : links + " links");
    }
    if (isShouting(text)) {
      scores.merge(Intent.SPAM_NOISE, 1.5, Double::sum);
      form.add("shouting");
    }
    if (emojis(text) >= 6) {
      scores.merge(Intent.SPAM_NOISE, 1.5, Double::sum);
      form.add("many emoji");
    }

    Intent winner = Intent.UNKNOWN;
    double best = 0;
    double total = 0;
    for (Map.Entry<Intent, Double> score : scores.entrySet()) {
      total += score.getValue();
      if (score.getValue() > best) {
        best = score.getValue();
        winner = score.getKey();
      }
    }
    // A lone question mark says little: without another signal the message is not an inquiry.
    if (winner == Intent.PRODUCT_INQUIRY && best <= 1.0) {
      winner = Intent.UNKNOWN;
    }
    List<String> topic = winner.isLead() ? topicWords(text, monitorPrompt) : List.of();
    best += Math.min(2, topic.size());
    total += Math.min(2, topic.size());
    int leadScore =
        switch (winner) {
          case BUYING_INTENT -> clamp((int) Math.round(4 + best / 1.5), 5, 10);
          case PRODUCT_INQUIRY -> clamp((int) Math.round(3 + best / 2), 3, 9);
          case SUPPORT_REQUEST -> 2;
          case UNKNOWN -> text.length() > 40 ? 2 : 1;
          default -> 1;
        };
    double confidence =
        winner == Intent.UNKNOWN
            ? 0.3
            : Math.round(Math.min(0.95, Math.max(0.3, best / (total + 1.0))) * 100) / 100.0;
    return new Analysis(
        winner, leadScore, confidence, reason(winner, because.get(winner), form, topic));
  }

  /** Longer words of the prompt (at least 4 letters) that the message contains as words. */
  private static List<String> topicWords(String text, String monitorPrompt) {
    if (monitorPrompt == null || monitorPrompt.isBlank()) {
      return List.of();
    }
    String words = KeywordText.normalize(text);
    Set<String> found = new LinkedHashSet<>();
    for (String word : KeywordText.normalize(monitorPrompt).strip().split(" ")) {
      if (word.length() >= MIN_TOPIC_WORD && words.contains(" " + word + " ")) {
        found.add(word);
      }
    }
    return List.copyOf(found);
  }

  private static String reason(
      Intent intent, List<String> signals, List<String> form, List<String> topic) {
    StringBuilder reason = new StringBuilder("rule-based: ").append(intent.value());
    List<String> all = new ArrayList<>(signals == null ? List.of() : signals);
    if (intent != Intent.UNKNOWN) {
      all.addAll(form);
    }
    topic.forEach(word -> all.add("on topic '" + word + "'"));
    if (all.isEmpty()) {
      reason.append(intent == Intent.UNKNOWN ? " (no intent phrase found)" : "");
    } else {
      reason.append(" from ").append(String.join(", ", all));
    }
    return reason.length() > 300 ? reason.substring(0, 299) + "…" : reason.toString();
  }

  private static boolean isShouting(String text) {
    int upper = 0;
    int letters = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isLetter(c)) {
        letters++;
        if (Character.isUpperCase(c)) {
          upper++;
        }
      }
    }
    return letters >= 20 && upper * 10 >= letters * 8;
  }

  private static int emojis(String text) {
    return (int)
        text.codePoints().filter(cp -> Character.getType(cp) == Character.OTHER_SYMBOL).count();
  }

  private static int clamp(int value, int min, int max) {
    return Math.max(min, Math.min(max, value));
  }

  private static Map<Intent, List<String>> phrases() {
    Map<Intent, List<String>> phrases = new EnumMap<>(Intent.class);
    phrases.put(
        Intent.BUYING_INTENT,
        List.of(
            // en
            "looking for",
            "i want to buy",
            "want to buy",
            "wanna buy",
            "i'd like to buy",
            "interested in",
            "i'm interested",
            "budget",
            "ready to buy",
            "purchase",
            "buy",
            "buying",
            "to rent",
            "for rent",
            "rent a",
            "hire",
            "book a",
            "need a",
            "need an",
            "in need of",
            "who sells",
            "anyone selling",
            "where can i buy",
            "wtb",
            "asap",
            "can i order",
            "i'll take it",
            "i will take it",
            "sign me up",
            "quote for",
            // pt
            "procuro",
            "estou procurando",
            "procurando",
            "quero comprar",
            "quero alugar",
            "preciso de",
            "interessado",
            "interessada",
            "tenho interesse",
            "orçamento",
            "comprar",
            "alugar",
            "encomendar",
            "quem vende",
            // es
            "busco",
            "estoy buscando",
            "buscando",
            "quiero comprar",
            "quiero alquilar",
            "necesito",
            "interesado",
            "interesada",
            "me interesa",
            "presupuesto",
            "alquilar",
            "quién vende",
            // fr
            "je cherche",
            "cherche",
            "acheter",
            "je veux acheter",
            "besoin d'un",
            "besoin d'une",
            "intéressé",
            "intéressée",
            "louer",
            "qui vend",
            // de
            "suche",
            "ich suche",
            "kaufen",
            "ich brauche",
            "brauche",
            "interessiert",
            "mieten",
            "wer verkauft",
            // it
            "cerco",
            "sto cercando",
            "comprare",
            "ho bisogno",
            "interessato",
            "interessata",
            "affittare",
            "chi vende",
            // nl
            "ik zoek",
            "op zoek naar",
            "kopen",
            "ik wil kopen",
            "geïnteresseerd",
            "huren",
            // tr
            "arıyorum",
            "almak istiyorum",
            "satın almak",
            "satın alacağım",
            "lazım",
            "ilgileniyorum",
            "bütçe",
            "kiralık arıyorum"));
    phrases.put(
        Intent.PRODUCT_INQUIRY,
        List.of(
            // en
            "how much",
            "price",
            "prices",
            "pricing",
            "cost",
            "costs",
            "available",
            "availability",
            "in stock",
            "do you have",
            "does anyone have",
            "is it still",
            "more info",
            "details",
            "specs",
            "delivery",
            "shipping",
            "viewing",
            "can i see",
            "quote",
            "catalog",
            "catalogue",
            "what size",
            "which size",
            // pt
            "quanto custa",
            "quanto é",
            "quanto",
            "preço",
            "valor",
            "disponível",
            "ainda está",
            "tem disponível",
            "mais informações",
            "informação",
            "detalhes",
            "entrega",
            "frete",
            "visita",
            // es
            "cuánto cuesta",
            "cuánto",
            "precio",
            "disponible",
            "todavía",
            "tienen",
            "más información",
            "información",
            "detalles",
            "envío",
            "visita",
            // fr
            "combien",
            "prix",
            "disponible",
            "encore dispo",
            "avez vous",
            "plus d'infos",
            "livraison",
            "visite",
            // de
            "wie viel",
            "wieviel",
            "was kostet",
            "preis",
            "verfügbar",
            "noch da",
            "habt ihr",
            "lieferung",
            "versand",
            "besichtigung",
            // it
            "quanto costa",
            "prezzo",
            "disponibile",
            "spedizione",
            "consegna",
            "visita",
            // nl
            "hoeveel",
            "wat kost",
            "prijs",
            "beschikbaar",
            "levering",
            "bezichtiging",
            // tr
            "ne kadar",
            "fiyat",
            "fiyatı",
            "kaç para",
            "mevcut",
            "stokta",
            "kargo",
            "teslimat"));
    phrases.put(
        Intent.SUPPORT_REQUEST,
        List.of(
            // en
            "help",
            "i need help",
            "not working",
            "doesn't work",
            "does not work",
            "stopped working",
            "problem",
            "issue",
            "error",
            "how do i",
            "how to",
            "can't log in",
            "cannot",
            "broken",
            "fix",
            "support",
            // pt
            "ajuda",
            "não funciona",
            "parou de funcionar",
            "problema",
            "erro",
            "como faço",
            // es
            "ayuda",
            "no funciona",
            "error",
            "cómo hago",
            // fr
            "aide",
            "ne marche pas",
            "ne fonctionne pas",
            "problème",
            "erreur",
            "comment faire",
            // de
            "hilfe",
            "funktioniert nicht",
            "geht nicht",
            "fehler",
            "wie kann ich",
            // it
            "aiuto",
            "non funziona",
            "errore",
            "come faccio",
            // nl
            "hulp",
            "werkt niet",
            "probleem",
            "fout",
            // tr
            "yardım",
            "çalışmıyor",
            "sorun",
            "hata"));
    phrases.put(
        Intent.COMPLAINT,
        List.of(
            // en
            "terrible",
            "awful",
            "worst",
            "disappointed",
            "disappointing",
            "scam",
            "refund",
            "never again",
            "rude",
            "complaint",
            "unacceptable",
            "still waiting",
            "bad service",
            "fraud",
            "ripped off",
            // pt
            "péssimo",
            "horrível",
            "decepcionado",
            "decepcionada",
            "golpe",
            "reembolso",
            "reclamação",
            "absurdo",
            "nunca mais",
            // es
            "pésimo",
            "horrible",
            "decepcionado",
            "estafa",
            "queja",
            "inaceptable",
            "nunca más",
            // fr
            "nul",
            "déçu",
            "déçue",
            "arnaque",
            "remboursement",
            "inacceptable",
            "plainte",
            // de
            "schrecklich",
            "enttäuscht",
            "betrug",
            "erstattung",
            "beschwerde",
            "unverschämt",
            "frechheit",
            // it
            "pessimo",
            "orribile",
            "deluso",
            "delusa",
            "truffa",
            "rimborso",
            "reclamo",
            // nl
            "teleurgesteld",
            "oplichting",
            "terugbetaling",
            "klacht",
            // tr
            "berbat",
            "rezalet",
            "dolandırıcı",
            "iade",
            "şikayet"));
    phrases.put(
        Intent.OFF_TOPIC,
        List.of(
            "good morning",
            "good night",
            "hello",
            "hi all",
            "hi everyone",
            "thanks",
            "thank you",
            "lol",
            "haha",
            "happy birthday",
            "congrats",
            "bom dia",
            "boa tarde",
            "boa noite",
            "obrigado",
            "obrigada",
            "parabéns",
            "buenos días",
            "buenas noches",
            "gracias",
            "hola",
            "felicidades",
            "bonjour",
            "bonsoir",
            "merci",
            "guten morgen",
            "gute nacht",
            "danke",
            "hallo",
            "buongiorno",
            "buonanotte",
            "grazie",
            "goedemorgen",
            "bedankt",
            "günaydın",
            "iyi geceler",
            "teşekkürler",
            "merhaba"));
    phrases.put(
        Intent.SPAM_NOISE,
        List.of(
            "click here",
            "free money",
            "earn money",
            "make money",
            "work from home",
            "crypto",
            "bitcoin",
            "forex",
            "investment opportunity",
            "guaranteed profit",
            "dm me",
            "join my group",
            "join my channel",
            "promo code",
            "limited offer",
            "ganhe dinheiro",
            "renda extra",
            "gana dinero",
            "gagnez",
            "geld verdienen",
            "guadagna",
            "para kazan"));
    return phrases;
  }
}
