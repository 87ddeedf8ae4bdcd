package io.flowmate.gateway.waha;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * WAHA's webhook signature: {@code X-Webhook-Hmac} is the lowercase hex HMAC-SHA512 of the raw
 * request body, keyed with the webhook's HMAC key. It is checked over the bytes as they arrived,
 * before any JSON parsing, and compared in constant time.
 */
final class WebhookSignature {

  static final String HEADER = "X-Webhook-Hmac";
  static final String ALGORITHM_HEADER = "X-Webhook-Hmac-Algorithm";
  static final String ALGORITHM = "sha512";

  private WebhookSignature() {}

  /** The signature WAHA sends for this body. */
  static String sign(String key, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA512");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA512 is not available", e);
    }
  }

  /** Whether the presented signature is the body's (case of the hex digits does not matter). */
  static boolean matches(String key, byte[] body, String presented) {
    byte[] expected = sign(key, body).getBytes(StandardCharsets.US_ASCII);
    byte[] given = presented.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given);
  }
}
