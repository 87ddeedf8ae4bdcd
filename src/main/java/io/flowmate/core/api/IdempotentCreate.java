package io.flowmate.core.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.dao.DuplicateKeyException;

/**
 * Create under an {@code Idempotency-Key}, the same way for every endpoint that takes one: the same
 * key with the same request replays the first answer, the same key with a different request is a
 * 422, and two requests with the same key at once store one row (the table's unique key decides,
 * the loser replays). The module stores the key and the request's hash with its row.
 */
public final class IdempotentCreate {

  /**
   * Properties in declaration order, map entries sorted: the same request always hashes the same.
   */
  private static final ObjectMapper CANONICAL =
      new ObjectMapper()
          .findAndRegisterModules()
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  /** What the create returned, and whether it was an earlier request's answer replayed. */
  public record Outcome<T>(T value, boolean replayed) {}

  /**
   * What an earlier request with the key created, and its request hash (null for a request that has
   * no body: the key alone identifies it).
   */
  public record Earlier<T>(T value, byte[] requestHash) {}

  private IdempotentCreate() {}

  /**
   * SHA-256 of the request's canonical JSON: tells a retry from a different request under the same
   * key. {@code request} is a record or a map holding what identifies the request (ids, not bytes).
   */
  public static byte[] requestHash(Object request) {
    try {
      return sha256(CANONICAL.writeValueAsBytes(request));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("request cannot be written as JSON", e);
    }
  }

  public static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Replays what an earlier request with {@code key} created, or creates it.
   *
   * @param key the request's Idempotency-Key, or null (then it simply creates)
   * @param requestHash {@link #requestHash} of the request, or null if it has no body
   * @param what what is created, for the 422: "report"
   * @param earlier finds what a request with the key created, for the tenant
   * @param create checks the request and creates, storing the key and hash; a {@link
   *     DuplicateKeyException} means a request with the same key stored first
   */
  public static <T> Outcome<T> create(
      String key,
      byte[] requestHash,
      String what,
      Function<String, Optional<Earlier<T>>> earlier,
      Supplier<T> create) {
    if (key != null) {
      Optional<Outcome<T>> replay = replay(key, requestHash, what, earlier);
      if (replay.isPresent()) {
        return replay.get();
      }
    }
    try {
      return new Outcome<>(create.get(), false);
    } catch (DuplicateKeyException e) {
      if (key == null) {
        throw e;
      }
      // The same key arrived twice at once: the other request stored it first.
      return replay(key, requestHash, what, earlier).orElseThrow(() -> e);
    }
  }

  private static <T> Optional<Outcome<T>> replay(
      String key, byte[] requestHash, String what, Function<String, Optional<Earlier<T>>> earlier) {
    return earlier
        .apply(key)
        .map(found -> {
          if (!Arrays.equals(found.requestHash(), requestHash)) {
            throw ApiException.invalid(
                "Idempotency-Key '%s' was already used for a different %s".formatted(key, what));
          }
          return new Outcome<>(found.value(), true);
        });
  }
}
