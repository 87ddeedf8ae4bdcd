package io.flowmate.admin.apikey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The secret a client sends: {@code fm_} plus 40 base62 characters (about 238 bits), so a fast hash
 * is enough at rest. It exists only in memory and in the one response that shows it.
 */
public record RawApiKey(String value) {

  static final String PREFIX = "fm_";
  private static final int SECRET_LENGTH = 40;
  private static final int DISPLAY_PREFIX_LENGTH = PREFIX.length() + 6;
  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();

  static RawApiKey generate() {
    StringBuilder key = new StringBuilder(PREFIX);
    for (int i = 0; i < SECRET_LENGTH; i++) {
      key.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return new RawApiKey(key.toString());
  }

  /** Whether a configured key (e.g. the bootstrap key) is strong enough to accept. */
  public static boolean isWellFormed(String candidate) {
    return candidate != null
        && candidate.startsWith(PREFIX)
        && candidate.length() >= PREFIX.length() + 32
        && candidate.substring(PREFIX.length()).chars().allMatch(c -> ALPHABET.indexOf(c) >= 0);
  }

  /** What lists show so that a person can recognise the key, e.g. {@code fm_a1B2c3}. */
  String displayPrefix() {
    return value.substring(0, Math.min(DISPLAY_PREFIX_LENGTH, value.length()));
  }

  byte[] hash() {
    return sha256(value);
  }

  static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return displayPrefix() + "…";
  }
}
