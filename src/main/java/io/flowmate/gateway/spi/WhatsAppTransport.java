package io.flowmate.gateway.spi;

import io.flowmate.core.ChatId;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A way to reach WhatsApp without the Meta Cloud API: the WAHA HTTP adapter for real numbers, the
 * embedded simulator for development, tests and benchmarks.
 *
 * <p>Below this line live only WhatsApp's specifics. Pacing, anti-ban guards, the outbox,
 * idempotency and identity resolution are Flowmate's, above it, so every transport gets them.
 *
 * <p>Session states, delivery acks and everything that arrives are not returned but reported as
 * {@link TransportEvent}s to the sink given to {@link #subscribe}. Calls that WhatsApp refuses
 * throw {@link TransportException}; {@link TransportException#retryable()} tells whether trying
 * later may succeed, and {@link TransportException#outcome()} whether a failed send may have
 * reached WhatsApp all the same.
 */
public interface WhatsAppTransport {

  TransportKind kind();

  /** What this transport can do; callers check before calling optional operations. */
  Capabilities capabilities();

  void subscribe(TransportEventSink sink);

  // --- session lifecycle ------------------------------------------------------------------------

  /** Starts (or resumes) the session; pairing challenges and WORKING arrive as events. */
  void open(SessionRef session);

  /** Stops the session but keeps its credentials, so that {@link #open} resumes without pairing. */
  void close(SessionRef session);

  /** Unlinks the device and forgets its credentials; the next {@link #open} must pair again. */
  void logout(SessionRef session);

  /** Removes every trace of the session from the transport. */
  void delete(SessionRef session);

  /**
   * Reconnects a session that stopped working, keeping its pairing (what an operator does by hand
   * for a session stuck in "working" without events); the new states arrive as events. A session
   * the transport no longer knows is opened again.
   */
  void restart(SessionRef session);

  /**
   * Asks the transport, not the event stream, whether the session is connected now: the periodic
   * check of the liveness watchdog. Never throws: a transport that cannot be reached answers {@link
   * SessionProbe#failed}.
   */
  SessionProbe probe(SessionRef session);

  /** The QR code to scan while the session waits for pairing (the raw string to render). */
  String qrCode(SessionRef session);

  /**
   * Pairing without a camera: the code to type on the phone (Linked devices → link with number).
   */
  String requestPairingCode(SessionRef session, String phoneNumber);

  /** What WhatsApp says about the account: identity and reach-out restrictions, if known. */
  Optional<AccountHealth> health(SessionRef session);

  // --- messages ---------------------------------------------------------------------------------

  /**
   * Hands one message to WhatsApp.
   *
   * @throws TransportException with {@link TransportException.Outcome#NOT_SENT} only when the
   *     message certainly did not reach WhatsApp (it may then be sent again), else with {@link
   *     TransportException.Outcome#UNKNOWN}: WhatsApp may have accepted it, and only {@link
   *     #findSent} can tell. Any other exception counts as unknown too.
   */
  SendReceipt send(SessionRef session, ChatId to, OutboundMessage message, SendOptions options);

  /**
   * After a crash between handing a message over and recording the receipt, or a send whose outcome
   * is unknown ({@link TransportException#outcomeUnknown()}): whether WhatsApp accepted that
   * message. Only transports whose {@link Capabilities#findsSentMessages()} is true answer it;
   * others return empty without meaning "not sent".
   *
   * @return the receipt WhatsApp gave the message (its id, when it was accepted), or empty when
   *     WhatsApp did not accept it, so that sending it again delivers it once
   * @throws TransportException when the transport cannot tell: retryable if asking again later may
   *     answer (WhatsApp unreachable), not retryable if it never will for this message. Either way
   *     the message must not be sent again on a guess.
   */
  Optional<SendReceipt> findSent(SessionRef session, SentLookup lookup);

  void edit(SessionRef session, ChatId chat, String providerMessageId, String text);

  /** Deletes the message for everyone. */
  void revoke(SessionRef session, ChatId chat, String providerMessageId);

  /** Blue ticks for these messages (all unread ones of the chat when the list is empty). */
  void markRead(SessionRef session, ChatId chat, List<String> providerMessageIds);

  /** Shows or hides "typing…" in the chat. */
  void typing(SessionRef session, ChatId chat, boolean typing);

  // --- directory --------------------------------------------------------------------------------

  /** Whether a phone number has WhatsApp, and the chat id to use for it. */
  NumberCheck checkNumber(SessionRef session, String e164Digits);

  /** The other form of an identity: the phone number of a LID, or the LID of a phone number. */
  Optional<WaIdentity> resolve(SessionRef session, ChatId address);

  List<GroupSummary> groups(SessionRef session);

  List<GroupMember> members(SessionRef session, ChatId group);

  // --- WhatsApp Business labels -----------------------------------------------------------------

  List<TransportLabel> labels(SessionRef session);

  /** Creates the label (id null) or changes it; returns it with its WhatsApp id. */
  TransportLabel saveLabel(SessionRef session, TransportLabel label);

  void deleteLabel(SessionRef session, String labelId);

  /** Replaces the labels of a chat. */
  void setChatLabels(SessionRef session, ChatId chat, List<String> labelIds);

  // --- media ------------------------------------------------------------------------------------

  /** The bytes of a received media file. */
  InputStream download(SessionRef session, String mediaUrl);
}
