package io.flowmate.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;

/** Canonical hashing and replay of {@link IdempotentCreate}, against a store kept in a map. */
class IdempotentCreateTests {

  record Draft(String name, Map<String, String> filter, Instant at) {}

  /** What a module's table holds: the created value and its request hash, by key. */
  final Map<String, IdempotentCreate.Earlier<String>> stored = new HashMap<>();

  final AtomicInteger creates = new AtomicInteger();

  private IdempotentCreate.Outcome<String> create(String key, Object request) {
    byte[] hash = IdempotentCreate.requestHash(request);
    return IdempotentCreate.create(
        key,
        hash,
        "thing",
        k -> Optional.ofNullable(stored.get(k)),
        checkedKey -> {
          String value = "thing-" + creates.incrementAndGet();
          if (checkedKey != null) {
            stored.put(checkedKey, new IdempotentCreate.Earlier<>(value, hash));
          }
          return value;
        });
  }

  @Test
  void theSameRequestHashesTheSameWhateverTheOrderOfItsMapEntries() {
    Map<String, String> one = new LinkedHashMap<>();
    one.put("a", "1");
    one.put("b", "2");
    Map<String, String> other = new LinkedHashMap<>();
    other.put("b", "2");
    other.put("a", "1");
    Instant at = Instant.parse("2026-12-07T10:00:00Z");

    assertThat(IdempotentCreate.requestHash(new Draft("x", one, at)))
        .isEqualTo(IdempotentCreate.requestHash(new Draft("x", other, at)))
        .hasSize(32);
    assertThat(IdempotentCreate.requestHash(new Draft("x", one, at)))
        .isNotEqualTo(IdempotentCreate.requestHash(new Draft("y", one, at)))
        .isNotEqualTo(IdempotentCreate.requestHash(new Draft("x", one, at.plusSeconds(1))));
  }

  @Test
  void theHashIsSha256OfTheCanonicalJson() {
    byte[] expected =
        IdempotentCreate.sha256("{\"a\":[1,2],\"b\":\"x\"}".getBytes(StandardCharsets.UTF_8));

    assertThat(IdempotentCreate.requestHash(Map.of("b", "x", "a", List.of(1, 2))))
        .isEqualTo(expected);
  }

  @Test
  void theSameKeyAndRequestReplaysTheFirstAnswer() {
    var first = create("k-1", new Draft("x", Map.of(), null));
    var again = create("k-1", new Draft("x", Map.of(), null));

    assertThat(first).isEqualTo(new IdempotentCreate.Outcome<>("thing-1", false));
    assertThat(again).isEqualTo(new IdempotentCreate.Outcome<>("thing-1", true));
    assertThat(creates).hasValue(1);
  }

  @Test
  void theSameKeyWithAnotherRequestIsRefusedWith422() {
    create("k-1", new Draft("x", Map.of(), null));

    assertThatThrownBy(() -> create("k-1", new Draft("y", Map.of(), null)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.status()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY))
        .hasMessage("Idempotency-Key 'k-1' was already used for a different thing");
    assertThat(creates).hasValue(1);
  }

  @Test
  void withoutKeyEveryRequestCreates() {
    create(null, new Draft("x", Map.of(), null));
    var second = create(null, new Draft("x", Map.of(), null));

    assertThat(second).isEqualTo(new IdempotentCreate.Outcome<>("thing-2", false));
  }

  @Test
  void aRequestThatLostTheRaceForItsKeyReplaysTheWinner() {
    byte[] hash = IdempotentCreate.requestHash(new Draft("x", Map.of(), null));

    var outcome =
        IdempotentCreate.create(
            "k-1",
            hash,
            "thing",
            k -> Optional.ofNullable(stored.get(k)),
            key -> {
              // Another request stored the key between the look-up and this insert.
              stored.put("k-1", new IdempotentCreate.Earlier<>("winner", hash));
              throw new DuplicateKeyException("idempotency key");
            });

    assertThat(outcome).isEqualTo(new IdempotentCreate.Outcome<>("winner", true));
  }

  @Test
  void aDuplicateOfSomethingElseIsNotTakenForAReplay() {
    DuplicateKeyException other = new DuplicateKeyException("name taken");

    assertThatThrownBy(() ->
            IdempotentCreate.create(
                "k-2",
                new byte[] {1},
                "thing",
                k -> Optional.<IdempotentCreate.Earlier<String>>empty(),
                key -> {
                  throw other;
                }))
        .isSameAs(other);
    assertThatThrownBy(() ->
            IdempotentCreate.create(
                null,
                new byte[] {1},
                "thing",
                k -> Optional.<IdempotentCreate.Earlier<String>>empty(),
                key -> {
                  throw other;
                }))
        .isSameAs(other);
  }

  @Test
  void aRequestWithoutBodyReplaysByItsKeyAlone() {
    stored.put("run-1", new IdempotentCreate.Earlier<>("run", null));

    var outcome =
        IdempotentCreate.create(
            "run-1", null, "run", k -> Optional.ofNullable(stored.get(k)), k -> "new run");

    assertThat(outcome).isEqualTo(new IdempotentCreate.Outcome<>("run", true));
  }

  @Test
  void theKeyIsStrippedSoARetryWithSpacesReplays() {
    var first = create("k-1", new Draft("x", Map.of(), null));
    var again = create("  k-1 ", new Draft("x", Map.of(), null));

    assertThat(again).isEqualTo(new IdempotentCreate.Outcome<>(first.value(), true));
    assertThat(stored).containsOnlyKeys("k-1");
  }

  @Test
  void aBlankOrOverlongKeyIsRefusedWith422ByEveryEndpoint() {
    for (String key : new String[] {"", "   ", "k".repeat(256)}) {
      assertThatThrownBy(() -> create(key, new Draft("x", Map.of(), null)))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> assertThat(e.getMessage()).contains("Idempotency-Key must be 1 to 255"));
    }
    assertThat(creates).hasValue(0);
    assertThat(create("k".repeat(255), new Draft("x", Map.of(), null)).replayed()).isFalse();
  }
}
