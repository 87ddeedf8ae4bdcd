package io.flowmate.gateway.spi;

/**
 * What a transport supports beyond sending text.
 *
 * @param findsSentMessages {@link WhatsAppTransport#findSent} answers reliably: a receipt only for
 *     the message looked up, empty only when WhatsApp did not accept it, and an exception when it
 *     cannot tell. The simulator knows each idempotency key it accepted; WAHA recognises the
 *     message among the number's messages in the chat since the send attempt by its content (see
 *     {@code WahaTransport}). A crash between send and record then never causes a second send.
 *     Without it Flowmate cannot tell, so such a message is failed rather than sent again.
 * @param labels WhatsApp Business labels (business accounts only)
 * @param pairingCode pairing by a code typed on the phone
 * @param passkeyPairing can report (and complete) the passkey step of device linking
 */
public record Capabilities(
    boolean groups,
    boolean labels,
    boolean polls,
    boolean editMessages,
    boolean pairingCode,
    boolean passkeyPairing,
    boolean findsSentMessages) {}
