package io.flowmate.gateway.spi;

/**
 * One person on WhatsApp: the linked id ({@code <n>@lid}) WhatsApp now uses first, and the phone
 * number ({@code E.164 digits}) when known. Either may be missing.
 */
public record WaIdentity(String lid, String phoneNumber, String pushName) {

  public boolean isEmpty() {
    return lid == null && phoneNumber == null;
  }
}
