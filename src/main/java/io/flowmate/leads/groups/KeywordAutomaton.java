package io.flowmate.leads.groups;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Finds the keywords of many groups in a text in one pass (Aho-Corasick): built once over every
 * keyword of every group of a number, immutable, and shared by the threads that match. A message is
 * read once however many groups and keywords there are.
 *
 * <p>Text and keywords are compared as {@link KeywordText} normalises them (no case, no accents,
 * any run of spaces and punctuation reads as one space). A keyword matches only as whole words:
 * {@code price} is found in {@code "Price?"} but not in {@code "priceless"}, and {@code looking
 * for} in {@code "LOOKING... for"}. This is done by matching the keyword with the spaces around it;
 * at an end written in a script without spaces between words (Chinese, Japanese, Thai, ...) no
 * boundary is required.
 *
 * @param <G> what a keyword belongs to (a monitored group's id)
 */
final class KeywordAutomaton<G> {

  private static final KeywordAutomaton<?> EMPTY = new KeywordAutomaton<>(Map.of());

  /**
   * For each state: its transitions as sorted characters and target states (from {@code
   * first[state]}).
   */
  private final int[] first;

  private final char[] labels;
  private final int[] targets;

  /** The root's transitions for ASCII characters, the ones most texts are made of. */
  private final int[] rootAscii = new int[128];

  private final int[] fail;

  /** The patterns that end in each state (its own and those of its failure chain); null if none. */
  private final int[][] outputs;

  /** For each pattern: the groups it belongs to and how each group wrote it. */
  private final Object[][] owners;

  private final String[][] originals;
  private final int patternCount;

  @SuppressWarnings("unchecked")
  static <G> KeywordAutomaton<G> empty() {
    return (KeywordAutomaton<G>) EMPTY;
  }

  /** The automaton for these groups' keywords (as the tenant wrote them). */
  static <G> KeywordAutomaton<G> of(Map<G, ? extends Collection<String>> keywordsByGroup) {
    return new KeywordAutomaton<>(keywordsByGroup);
  }

  private KeywordAutomaton(Map<G, ? extends Collection<String>> keywordsByGroup) {
    Map<String, List<Map.Entry<G, String>>> byPattern = new LinkedHashMap<>();
    keywordsByGroup.forEach((group, keywords) -> {
      for (String keyword : keywords) {
        String pattern = pattern(keyword);
        if (pattern != null) {
          List<Map.Entry<G, String>> entries =
              byPattern.computeIfAbsent(pattern, p -> new ArrayList<>());
          if (entries.stream().noneMatch(e -> e.getKey().equals(group))) {
            entries.add(Map.entry(group, keyword));
          }
        }
      }
    });
    patternCount = byPattern.size();
    owners = new Object[patternCount][];
    originals = new String[patternCount][];

    // The trie, with sorted children so that the compiled arrays can be searched by halves.
    List<TreeMap<Character, Integer>> children = new ArrayList<>();
    List<List<Integer>> ends = new ArrayList<>();
    children.add(new TreeMap<>());
    ends.add(new ArrayList<>());
    int id = 0;
    for (Map.Entry<String, List<Map.Entry<G, String>>> entry : byPattern.entrySet()) {
      String pattern = entry.getKey();
      int state = 0;
      for (int i = 0; i < pattern.length(); i++) {
        Integer next = children.get(state).get(pattern.charAt(i));
        if (next == null) {
          next = children.size();
          children.add(new TreeMap<>());
          ends.add(new ArrayList<>());
          children.get(state).put(pattern.charAt(i), next);
        }
        state = next;
      }
      ends.get(state).add(id);
      owners[id] = entry.getValue().stream().map(Map.Entry::getKey).toArray();
      originals[id] = entry.getValue().stream().map(Map.Entry::getValue).toArray(String[]::new);
      id++;
    }

    int states = children.size();
    first = new int[states + 1];
    int edges = children.stream().mapToInt(Map::size).sum();
    labels = new char[edges];
    targets = new int[edges];
    int edge = 0;
    for (int state = 0; state < states; state++) {
      first[state] = edge;
      for (Map.Entry<Character, Integer> child : children.get(state).entrySet()) {
        labels[edge] = child.getKey();
        targets[edge] = child.getValue();
        edge++;
      }
    }
    first[states] = edge;
    Arrays.fill(rootAscii, -1);
    children
        .get(0)
        .forEach((c, next) -> {
          if (c < 128) {
            rootAscii[c] = next;
          }
        });

    // Failure links breadth first: the longest proper suffix of a state that is also a prefix.
    fail = new int[states];
    outputs = new int[states][];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int child : children.get(0).values()) {
      fail[child] = 0;
      queue.add(child);
    }
    outputs[0] = null;
    while (!queue.isEmpty()) {
      int state = queue.poll();
      List<Integer> own = ends.get(state);
      int[] inherited = outputs[fail[state]];
      if (!own.isEmpty() || inherited != null) {
        int[] merged = new int[own.size() + (inherited == null ? 0 : inherited.length)];
        for (int i = 0; i < own.size(); i++) {
          merged[i] = own.get(i);
        }
        if (inherited != null) {
          System.arraycopy(inherited, 0, merged, own.size(), inherited.length);
        }
        outputs[state] = merged;
      }
      for (Map.Entry<Character, Integer> child : children.get(state).entrySet()) {
        int f = fail[state];
        int next;
        while ((next = step(f, child.getKey())) < 0 && f != 0) {
          f = fail[f];
        }
        fail[child.getValue()] = next >= 0 && next != child.getValue() ? next : 0;
        queue.add(child.getValue());
      }
    }
  }

  /**
   * The keyword as matched: normalised, with the spaces that demand word boundaries at the ends
   * written in spaced scripts; null if it has no letters or digits.
   */
  static String pattern(String keyword) {
    String normalized = KeywordText.normalize(keyword);
    if (KeywordText.isBlank(normalized)) {
      return null;
    }
    int start = normalized.codePointAt(1);
    int end = normalized.codePointBefore(normalized.length() - 1);
    return normalized.substring(
        KeywordText.isUnspacedScript(start) ? 1 : 0,
        normalized.length() - (KeywordText.isUnspacedScript(end) ? 1 : 0));
  }

  boolean isEmpty() {
    return patternCount == 0;
  }

  /**
   * Every group with a keyword in the text, and which of its keywords (as it wrote them), each
   * once, in the order they end in the text.
   */
  @SuppressWarnings("unchecked")
  Map<G, List<String>> match(CharSequence text) {
    Map<G, List<String>> found = new LinkedHashMap<>();
    for (int pattern : patternsIn(text)) {
      for (int i = 0; i < owners[pattern].length; i++) {
        found
            .computeIfAbsent((G) owners[pattern][i], g -> new ArrayList<>())
            .add(originals[pattern][i]);
      }
    }
    return found;
  }

  /**
   * The group's keywords in the text (as it wrote them), each once, in the order they end in it.
   */
  List<String> match(CharSequence text, G group) {
    List<String> found = null;
    for (int pattern : patternsIn(text)) {
      Object[] groups = owners[pattern];
      for (int i = 0; i < groups.length; i++) {
        if (Objects.equals(groups[i], group)) {
          if (found == null) {
            found = new ArrayList<>(2);
          }
          found.add(originals[pattern][i]);
        }
      }
    }
    return found == null ? List.of() : found;
  }

  /** Ids of the patterns found in the text, each once, in the order they end. */
  private int[] patternsIn(CharSequence text) {
    if (patternCount == 0 || text == null) {
      return new int[0];
    }
    String normalized = KeywordText.normalize(text);
    int[] found = null;
    int count = 0;
    long[] seen = null;
    int state = 0;
    for (int i = 0; i < normalized.length(); i++) {
      char c = normalized.charAt(i);
      int next;
      while ((next = step(state, c)) < 0 && state != 0) {
        state = fail[state];
      }
      state = Math.max(next, 0);
      int[] ending = outputs[state];
      if (ending != null) {
        for (int pattern : ending) {
          if (seen == null) {
            seen = new long[(patternCount + 63) >>> 6];
            found = new int[4];
          }
          if ((seen[pattern >>> 6] & (1L << pattern)) == 0) {
            seen[pattern >>> 6] |= 1L << pattern;
            if (count == found.length) {
              found = Arrays.copyOf(found, count * 2);
            }
            found[count++] = pattern;
          }
        }
      }
    }
    return found == null ? new int[0] : Arrays.copyOf(found, count);
  }

  /** The state reached from {@code state} on {@code c}, or -1 if none. */
  private int step(int state, char c) {
    if (state == 0 && c < 128) {
      return rootAscii[c];
    }
    int low = first[state];
    int high = first[state + 1] - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      char label = labels[mid];
      if (label < c) {
        low = mid + 1;
      } else if (label > c) {
        high = mid - 1;
      } else {
        return targets[mid];
      }
    }
    return -1;
  }
}
