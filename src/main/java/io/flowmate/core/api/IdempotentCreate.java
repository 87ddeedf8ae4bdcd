package io.flowmate.core.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
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

  private static final int MAX_KEY_LENGTH = 255;

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
   * @param header the request's Idempotency-Key header, or null (then it simply creates); checked
   *     by {@link #key}
   * @param requestHash {@link #requestHash} of the request, or null if it has no body
   * @param what what is created, for the 422: "report"
   * @param earlier finds what a request with the key created, for the tenant
   * @param create checks the request and creates, storing the key it is given (the checked key, or
   *     null) and the hash; a {@link DuplicateKeyException} means a request with the same key
   *     stored first
   */
  public static <T> Outcome<T> create(
      String header,
      byte[] requestHash,
      String what,
      Function<String, Optional<Earlier<T>>> earlier,
      Function<String, T> create) {
    String key = key(header);
    if (key != null) {
      Optional<Outcome<T>> replay = replay(key, requestHash, what, earlier);
      if (replay.isPresent()) {
        return replay.get();
      }
    }
    try {
      return new Outcome<>(create.apply(key), false);
    } catch (DuplicateKeyException e) {
      if (key == null) {
        throw e;
      }
      // The same key arrived twice at once: the other request stored it first.
      return replay(key, requestHash, what, earlier).orElseThrow(() -> e);
    }
  }

  /**
   * The key of an {@code Idempotency-Key} header, the same rule for every endpoint: absent is no
   * key; surrounding spaces are dropped; blank or longer than 255 characters is a 422.
   */
  public static String key(String header) {
    if (header == null) {
      return null;
    }
    String key = header.strip();
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      throw ApiException.invalid(
          "Idempotency-Key must be 1 to %d characters".formatted(MAX_KEY_LENGTH));
    }
    return key;
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
