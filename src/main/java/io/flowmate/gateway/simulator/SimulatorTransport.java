package io.flowmate.gateway.simulator;

import io.flowmate.core.ChatId;
import io.flowmate.core.SessionId;
import io.flowmate.gateway.GatewaySettings;
import io.flowmate.gateway.spi.AccountHealth;
import io.flowmate.gateway.spi.Capabilities;
import io.flowmate.gateway.spi.GroupMember;
import io.flowmate.gateway.spi.GroupSummary;
import io.flowmate.gateway.spi.NumberCheck;
import io.flowmate.gateway.spi.OutboundMessage;
import io.flowmate.gateway.spi.SendOptions;
import io.flowmate.gateway.spi.SendReceipt;
import io.flowmate.gateway.spi.SentLookup;
import io.flowmate.gateway.spi.SessionProbe;
import io.flowmate.gateway.spi.SessionRef;
import io.flowmate.gateway.spi.TransportEvent;
import io.flowmate.gateway.spi.TransportEvent.Ack;
import io.flowmate.gateway.spi.TransportEvent.DeliveryError;
import io.flowmate.gateway.spi.TransportEvent.InboundContent;
import io.flowmate.gateway.spi.TransportEvent.SessionState;
import io.flowmate.gateway.spi.TransportEventSink;
import io.flowmate.gateway.spi.TransportException;
import io.flowmate.gateway.spi.TransportKind;
import io.flowmate.gateway.spi.TransportLabel;
import io.flowmate.gateway.spi.WaIdentity;
import io.flowmate.gateway.spi.WhatsAppTransport;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * An in-memory WhatsApp: every session is a simulated phone that pairs by "scanning" its QR code
 * (or typing a pairing code), accepts what we send and acknowledges it (delivered, read, played)
 * after configurable delays, and can be told to receive messages from contacts or in groups.
 * Sessions can write to each other: a message to another simulated session's number arrives there.
 *
 * <p>Faults WhatsApp produces can be switched on per session: the reach-out timelock (ack error 463
 * for contacts who never wrote), failing sends, a ban, an unlink from the phone, a passkey step in
 * pairing, and contacts migrating to linked ids (LID). Nothing leaves the machine.
 *
 * <p>Like a real WhatsApp Web session it remembers which idempotency keys it accepted, so a resend
 * after a crash does not deliver twice ({@link #findSent}).
 */
@Component
@ConditionalOnProperty(
    name = "flowmate.gateway.transport",
    havingValue = "simulator",
    matchIfMissing = true)
public class SimulatorTransport implements WhatsAppTransport, DisposableBean {

  private static final Duration DEFAULT_REACHOUT_LOCK = Duration.ofHours(24);

  private final Map<SessionId, SimulatedPhone> phones = new ConcurrentHashMap<>();
  private final Map<String, SimulatedGroup> groups = new ConcurrentHashMap<>();

  /** Contacts that moved to a linked id: phone number → LID. */
  private final Map<String, String> lidsByPhone = new ConcurrentHashMap<>();

  private final Map<String, byte[]> media = new ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "whatsapp-simulator");
        thread.setDaemon(true);
        return thread;
      });

  /**
   * Acks reach Flowmate concurrently, as WAHA's webhooks do: an ack is answered only once it is
   * stored, so one thread handing them over one by one would measure commit latency, not Flowmate.
   */
  private final ExecutorService ackSenders =
      Executors.newFixedThreadPool(
          8,
          runnable -> {
            Thread thread = new Thread(runnable, "whatsapp-simulator-acks");
            thread.setDaemon(true);
            return thread;
          });

  /** Ids unique across starts; drawn from real time, whatever clock the tests give the rest. */
  private final SimulatedIds ids = new SimulatedIds(Instant.now());

  private final GatewaySettings.Simulator settings;
  private final Clock clock;
  private volatile TransportEventSink sink = event -> {};

  SimulatorTransport(GatewaySettings settings, Clock clock) {
    this.settings = settings.simulator();
    this.clock = clock;
  }

  /**
   * One message the simulated WhatsApp accepted from a session.
   *
   * @param media how media was handed over (a URL to fetch, or data), or null for other messages
   */
  public record Delivery(
      String providerMessageId,
      String chatId,
      String type,
      String body,
      String idempotencyKey,
      String replyTo,
      Instant acceptedAt,
      DeliveredMedia media) {}

  /**
   * Media as the transport received it: by URL, or as data (its SHA-256 in base64, and size). Tests
   * check with it that Flowmate, not the transport, fetches users' media URLs.
   */
  public record DeliveredMedia(
      String url, String mimetype, String filename, String dataSha256, Integer size) {

    static DeliveredMedia of(OutboundMessage message) {
      if (!(message instanceof OutboundMessage.Media media)) {
        return null;
      }
      OutboundMessage.MediaSource source = media.source();
      if (source.base64Data() == null) {
        return new DeliveredMedia(source.url(), source.mimetype(), source.filename(), null, null);
      }
      byte[] data = Base64.getDecoder().decode(source.base64Data());
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(data);
        return new DeliveredMedia(
            null,
            source.mimetype(),
            source.filename(),
            Base64.getEncoder().encodeToString(digest),
            data.length);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Something the session did besides sending: marked a chat read, typed, edited, revoked. */
  public record Activity(String action, String chatId, String detail, Instant at) {}

  /**
   * Faults to produce on a session; null fields leave the current setting alone.
   *
   * @param failNextSends the next sends are refused before WhatsApp takes them ({@code
   *     failuresRetryable} says whether trying again may help)
   * @param numbersNotReading recipients who never read: their messages are delivered, not read
   * @param loseNextAnswers WhatsApp takes the next sends, but their answer is lost on the way back
   *     (as when WAHA times out after handing the message over): the send fails with an unknown
   *     outcome
   */
  public record Faults(
      Integer reachoutLockMinutes,
      Integer failNextSends,
      Boolean failuresRetryable,
      Boolean requirePasskey,
      Set<String> numbersNotOnWhatsApp,
      Set<String> numbersNotReading,
      Integer loseNextAnswers) {

    public Faults(
        Integer reachoutLockMinutes,
        Integer failNextSends,
        Boolean failuresRetryable,
        Boolean requirePasskey,
        Set<String> numbersNotOnWhatsApp,
        Set<String> numbersNotReading) {
      this(
          reachoutLockMinutes,
          failNextSends,
          failuresRetryable,
          requirePasskey,
          numbersNotOnWhatsApp,
          numbersNotReading,
          null);
    }

    public Faults(
        Integer reachoutLockMinutes,
        Integer failNextSends,
        Boolean failuresRetryable,
        Boolean requirePasskey,
        Set<String> numbersNotOnWhatsApp) {
      this(
          reachoutLockMinutes,
          failNextSends,
          failuresRetryable,
          requirePasskey,
          numbersNotOnWhatsApp,
          null);
    }
  }

  private static final class SimulatedPhone {
    final SessionId sessionId;
    volatile SessionState state = SessionState.STOPPED;
    volatile String phoneNumber;
    volatile String qrCode;
    volatile ScheduledFuture<?> pairing;
    volatile boolean requirePasskey;
    volatile Instant reachoutLockedUntil;
    final AtomicInteger failNextSends = new AtomicInteger();
    final AtomicInteger loseNextAnswers = new AtomicInteger();
    volatile boolean failuresRetryable = true;
    final Set<String> numbersNotOnWhatsApp = ConcurrentHashMap.newKeySet();
    final Set<String> numbersNotReading = ConcurrentHashMap.newKeySet();

    /** Chats that wrote to this number or were written to successfully: no 463 for them. */
    final Set<String> warmChats = ConcurrentHashMap.newKeySet();

    final Map<String, SendReceipt> acceptedByKey = new ConcurrentHashMap<>();
    final List<Delivery> deliveries = new ArrayList<>();
    final List<Activity> activities = new ArrayList<>();
    final Map<String, TransportLabel> labels = new LinkedHashMap<>();
    final Map<String, List<String>> chatLabels = new ConcurrentHashMap<>();
    final AtomicInteger labelIds = new AtomicInteger();

    SimulatedPhone(SessionId sessionId) {
      this.sessionId = sessionId;
    }
  }

  private record SimulatedGroup(ChatId id, String subject, Map<String, String> rolesByPhone) {}

  @Override
  public TransportKind kind() {
    return TransportKind.SIMULATOR;
  }

  @Override
  public Capabilities capabilities() {
    return new Capabilities(true, true, true, true, true, true, true);
  }

  @Override
  public void subscribe(TransportEventSink sink) {
    this.sink = sink;
  }

  // --- session lifecycle ------------------------------------------------------------------------

  @Override
  public void open(SessionRef session) {
    SimulatedPhone phone = phone(session.sessionId());
    synchronized (phone) {
      if (phone.state == SessionState.WORKING) {
        return;
      }
      if (phone.phoneNumber == null) {
        phone.phoneNumber = session.phoneNumber();
      }
      emitState(phone, SessionState.STARTING, null, null);
      if (phone.phoneNumber != null) {
        emitState(phone, SessionState.WORKING, null, null);
        return;
      }
      phone.qrCode = "2@SIMULATOR," + session.sessionId() + "," + clock.millis();
      emitState(phone, SessionState.QR_CODE, phone.qrCode, null);
      Duration delay = settings.pairingDelay();
      if (!delay.isNegative()) {
        phone.pairing =
            scheduler.schedule(
                () -> pair(session.sessionId()), delay.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  @Override
  public void close(SessionRef session) {
    SimulatedPhone phone = phone(session.sessionId());
    synchronized (phone) {
      cancelPairing(phone);
      emitState(phone, SessionState.STOPPED, null, null);
    }
  }

  @Override
  public void logout(SessionRef session) {
    SimulatedPhone phone = phone(session.sessionId());
    synchronized (phone) {
      cancelPairing(phone);
      phone.phoneNumber = null;
      emitState(phone, SessionState.STOPPED, null, null);
    }
  }

  @Override
  public void delete(SessionRef session) {
    logout(session);
    phones.remove(session.sessionId());
  }

  /** The simulated phone reconnects: STARTING, then WORKING again if it was paired. */
  @Override
  public void restart(SessionRef session) {
    SimulatedPhone phone = phone(session.sessionId());
    synchronized (phone) {
      cancelPairing(phone);
      phone.state = SessionState.STOPPED;
      open(session);
    }
  }

  /** Its own state: connected while the simulated phone works. */
  @Override
  public SessionProbe probe(SessionRef session) {
    SessionState state = phone(session.sessionId()).state;
    return state == SessionState.WORKING
        ? SessionProbe.ok()
        : SessionProbe.failed("the simulated phone is " + state.name().toLowerCase());
  }

  @Override
  public String qrCode(SessionRef session) {
    SimulatedPhone phone = phone(session.sessionId());
    if (phone.state != SessionState.QR_CODE || phone.qrCode == null) {
      throw new TransportException(
          "no QR code: the session is " + phone.state.name().toLowerCase(), false);
    }
    return phone.qrCode;
  }

  @Override
  public String requestPairingCode(SessionRef session, String phoneNumber) {
    SimulatedPhone phone = phone(session.sessionId());
    if (phone.state != SessionState.QR_CODE) {
      throw new TransportException(
          "pairing needs a started, unpaired session; it is " + phone.state.name().toLowerCase(),
          false);
    }
    String digits = String.format("%08d", Math.floorMod(phoneNumber.hashCode(), 100_000_000));
    return (digits.substring(0, 4) + "-" + digits.substring(4)).replace('0', 'K');
  }

  /**
   * The simulated phone scans the QR code (or enters the pairing code): the session works, unless a
   * passkey step was switched on.
   */
  public boolean pair(SessionId sessionId) {
    SimulatedPhone phone = phone(sessionId);
    synchronized (phone) {
      if (phone.state != SessionState.QR_CODE) {
        return false;
      }
      cancelPairing(phone);
      phone.phoneNumber = simulatedNumber(sessionId);
      if (phone.requirePasskey) {
        emitState(phone, SessionState.PASSKEY_REQUIRED, null, "SIMULATED-PASSKEY-CHALLENGE");
      } else {
        emitState(phone, SessionState.WORKING, null, null);
      }
      return true;
    }
  }

  /** The operator confirmed the passkey in the browser. */
  public boolean completePasskey(SessionId sessionId) {
    SimulatedPhone phone = phone(sessionId);
    synchronized (phone) {
      if (phone.state != SessionState.PASSKEY_REQUIRED) {
        return false;
      }
      emitState(phone, SessionState.WORKING, null, null);
      return true;
    }
  }

  /** WhatsApp bans the number: the session is logged out for good. */
  public void ban(SessionId sessionId) {
    SimulatedPhone phone = phone(sessionId);
    synchronized (phone) {
      emitAsync(
          new TransportEvent.AccountRestricted(
              sessionId, health(phone), "banned", clock.instant()));
      phone.phoneNumber = null;
      emitState(phone, SessionState.LOGGED_OUT, null, null);
    }
  }

  /** Somebody removes the linked device on the phone. */
  public void unlinkFromPhone(SessionId sessionId) {
    SimulatedPhone phone = phone(sessionId);
    synchronized (phone) {
      phone.phoneNumber = null;
      emitState(phone, SessionState.LOGGED_OUT, null, null);
    }
  }

  public void applyFaults(SessionId sessionId, Faults faults) {
    SimulatedPhone phone = phone(sessionId);
    if (faults.reachoutLockMinutes() != null) {
      phone.reachoutLockedUntil =
          faults.reachoutLockMinutes() <= 0
              ? null
              : clock.instant().plus(Duration.ofMinutes(faults.reachoutLockMinutes()));
    }
    if (faults.failNextSends() != null) {
      phone.failNextSends.set(faults.failNextSends());
    }
    if (faults.failuresRetryable() != null) {
      phone.failuresRetryable = faults.failuresRetryable();
    }
    if (faults.loseNextAnswers() != null) {
      phone.loseNextAnswers.set(faults.loseNextAnswers());
    }
    if (faults.requirePasskey() != null) {
      phone.requirePasskey = faults.requirePasskey();
    }
    if (faults.numbersNotOnWhatsApp() != null) {
      phone.numbersNotOnWhatsApp.clear();
      phone.numbersNotOnWhatsApp.addAll(faults.numbersNotOnWhatsApp());
    }
    if (faults.numbersNotReading() != null) {
      phone.numbersNotReading.clear();
      phone.numbersNotReading.addAll(faults.numbersNotReading());
    }
  }

  @Override
  public Optional<AccountHealth> health(SessionRef session) {
    return Optional.of(health(phone(session.sessionId())));
  }

  private AccountHealth health(SimulatedPhone phone) {
    Instant lock = phone.reachoutLockedUntil;
    return new AccountHealth(
        phone.phoneNumber,
        phone.phoneNumber == null ? null : lidOf(phone.phoneNumber),
        "Simulated phone",
        lock != null && lock.isAfter(clock.instant()) ? lock : null,
        "NONE",
        null,
        null);
  }

  // --- messages ---------------------------------------------------------------------------------

  @Override
  public SendReceipt send(
      SessionRef session, ChatId to, OutboundMessage message, SendOptions options) {
    SimulatedPhone phone = phone(session.sessionId());
    synchronized (phone) {
      requireWorking(phone);
      SendReceipt earlier = phone.acceptedByKey.get(options.idempotencyKey());
      if (earlier != null) {
        return earlier;
      }
      if (phone.failNextSends.get() > 0) {
        phone.failNextSends.decrementAndGet();
        throw new TransportException("simulated send failure", phone.failuresRetryable);
      }
      if (to.phoneNumber().filter(phone.numbersNotOnWhatsApp::contains).isPresent()) {
        throw new TransportException(to.value() + " is not on WhatsApp", false);
      }
      SendReceipt receipt = accept(phone, to, message, options);
      if (phone.loseNextAnswers.get() > 0) {
        phone.loseNextAnswers.decrementAndGet();
        throw TransportException.outcomeUnknown(
            "simulated lost answer: WhatsApp took the message, its answer never came", null);
      }
      return receipt;
    }
  }

  /** WhatsApp takes the message: it is delivered, acknowledged and, by default, read. */
  private SendReceipt accept(
      SimulatedPhone phone, ChatId to, OutboundMessage message, SendOptions options) {
    SendReceipt receipt =
        new SendReceipt("true_" + to.value() + "_" + ids.message(), clock.instant());
    phone.acceptedByKey.put(options.idempotencyKey(), receipt);
    phone.deliveries.add(
        new Delivery(
            receipt.providerMessageId(),
            to.value(),
            type(message),
            body(message),
            options.idempotencyKey(),
            options.replyTo(),
            receipt.acceptedAt(),
            DeliveredMedia.of(message)));
    Instant lock = phone.reachoutLockedUntil;
    boolean cold = !phone.warmChats.contains(to.value()) && to.kind() != ChatId.Kind.GROUP;
    if (cold && lock != null && lock.isAfter(clock.instant())) {
      // WhatsApp accepts the call, then refuses the message: ack error 463.
      scheduleAck(
          phone,
          receipt.providerMessageId(),
          Ack.FAILED,
          new DeliveryError(
              "463", "reach-out timelock: the recipient never wrote to you", true, lock),
          settings.deliveryDelay());
      return receipt;
    }
    phone.warmChats.add(to.value());
    scheduleAck(phone, receipt.providerMessageId(), Ack.DEVICE, null, settings.deliveryDelay());
    if (to.phoneNumber().filter(phone.numbersNotReading::contains).isPresent()) {
      deliverToOtherPhone(phone, to, message, receipt);
      return receipt;
    }
    scheduleAck(phone, receipt.providerMessageId(), Ack.READ, null, settings.readDelay());
    if (message instanceof OutboundMessage.Media media
        && media.kind() == OutboundMessage.MediaKind.VOICE
        && !settings.readDelay().isNegative()) {
      scheduleAck(
          phone,
          receipt.providerMessageId(),
          Ack.PLAYED,
          null,
          settings.readDelay().plusMillis(50));
    }
    deliverToOtherPhone(phone, to, message, receipt);
    return receipt;
  }

  /** "Two phones": a message to another simulated session's number arrives there. */
  private void deliverToOtherPhone(
      SimulatedPhone sender, ChatId to, OutboundMessage message, SendReceipt receipt) {
    String number = to.phoneNumber().orElse(null);
    if (number == null || sender.phoneNumber == null) {
      return;
    }
    phones.values().stream()
        .filter(p -> p != sender && number.equals(p.phoneNumber) && p.state == SessionState.WORKING)
        .findFirst()
        .ifPresent(recipient -> {
          recipient.warmChats.add(sender.phoneNumber + "@c.us");
          emitAsync(
              new TransportEvent.MessageReceived(
                  recipient.sessionId,
                  receipt.providerMessageId().replaceFirst("^true_", "false_"),
                  ChatId.parse(sender.phoneNumber),
                  new WaIdentity(lidOf(sender.phoneNumber), sender.phoneNumber, "Simulated phone"),
                  false,
                  new InboundContent(type(message), body(message), null, null, null, Map.of()),
                  null,
                  clock.instant()));
        });
  }

  @Override
  public Optional<SendReceipt> findSent(SessionRef session, SentLookup lookup) {
    return Optional.ofNullable(
        phone(session.sessionId()).acceptedByKey.get(lookup.idempotencyKey()));
  }

  @Override
  public void edit(SessionRef session, ChatId chat, String providerMessageId, String text) {
    activity(session, "edit", chat, providerMessageId + ":" + text);
  }

  @Override
  public void revoke(SessionRef session, ChatId chat, String providerMessageId) {
    activity(session, "revoke", chat, providerMessageId);
  }

  @Override
  public void markRead(SessionRef session, ChatId chat, List<String> providerMessageIds) {
    activity(session, "seen", chat, String.join(",", providerMessageIds));
  }

  @Override
  public void typing(SessionRef session, ChatId chat, boolean typing) {
    activity(session, typing ? "typing" : "paused", chat, null);
  }

  private void activity(SessionRef session, String action, ChatId chat, String detail) {
    SimulatedPhone phone = phone(session.sessionId());
    synchronized (phone) {
      requireWorking(phone);
      phone.activities.add(new Activity(action, chat.value(), detail, clock.instant()));
    }
  }

  // --- directory --------------------------------------------------------------------------------

  @Override
  public NumberCheck checkNumber(SessionRef session, String e164Digits) {
    SimulatedPhone phone = phone(session.sessionId());
    boolean exists = !phone.numbersNotOnWhatsApp.contains(e164Digits);
    return new NumberCheck(e164Digits, exists, exists ? ChatId.parse(e164Digits) : null);
  }

  @Override
  public Optional<WaIdentity> resolve(SessionRef session, ChatId address) {
    if (address.kind() == ChatId.Kind.CONTACT) {
      String phone = address.phoneNumber().orElseThrow();
      return Optional.of(new WaIdentity(lidsByPhone.get(phone), phone, null));
    }
    if (address.kind() == ChatId.Kind.LID) {
      return lidsByPhone.entrySet().stream()
          .filter(e -> e.getValue().equals(address.value()))
          .map(e -> new WaIdentity(e.getValue(), e.getKey(), null))
          .findFirst();
    }
    return Optional.empty();
  }

  @Override
  public List<GroupSummary> groups(SessionRef session) {
    String own = phone(session.sessionId()).phoneNumber;
    return groups.values().stream()
        .filter(g -> own != null && g.rolesByPhone().containsKey(own))
        .map(g -> new GroupSummary(g.id(), g.subject(), null, g.rolesByPhone().size()))
        .toList();
  }

  @Override
  public List<GroupMember> members(SessionRef session, ChatId group) {
    SimulatedGroup found = groups.get(group.value());
    if (found == null) {
      throw new TransportException("no group " + group, false);
    }
    return found.rolesByPhone().entrySet().stream()
        .map(e ->
            new GroupMember(
                new WaIdentity(lidsByPhone.get(e.getKey()), e.getKey(), null), e.getValue()))
        .toList();
  }

  // --- labels -----------------------------------------------------------------------------------

  @Override
  public List<TransportLabel> labels(SessionRef session) {
    SimulatedPhone phone = phone(session.sessionId());
    synchronized (phone) {
      return List.copyOf(phone.labels.values());
    }
  }

  @Override
  public TransportLabel saveLabel(SessionRef session, TransportLabel label) {
    SimulatedPhone phone = phone(session.sessionId());
    synchronized (phone) {
      requireWorking(phone);
      String id =
          label.id() != null ? label.id() : Integer.toString(phone.labelIds.incrementAndGet());
      TransportLabel saved = new TransportLabel(id, label.name(), label.colorHex());
      phone.labels.put(id, saved);
      return saved;
    }
  }

  @Override
  public void deleteLabel(SessionRef session, String labelId) {
    SimulatedPhone phone = phone(session.sessionId());
    synchronized (phone) {
      phone.labels.remove(labelId);
      phone.chatLabels.values().forEach(ids -> ids.remove(labelId));
    }
  }

  @Override
  public void setChatLabels(SessionRef session, ChatId chat, List<String> labelIds) {
    phone(session.sessionId()).chatLabels.put(chat.value(), new ArrayList<>(labelIds));
  }

  @Override
  public InputStream download(SessionRef session, String mediaUrl) {
    byte[] bytes = media.get(mediaUrl);
    if (bytes == null) {
      throw new TransportException("no media at " + mediaUrl, false);
    }
    return new ByteArrayInputStream(bytes);
  }

  // --- the simulated world: what contacts and the phone do ---------------------------------------

  /** A contact (or, with a group, a participant) writes to the session's number. */
  public String receive(
      SessionId sessionId, ChatId from, String senderName, ChatId group, InboundContent content) {
    SimulatedPhone phone = phone(sessionId);
    requireWorking(phone);
    String phoneNumber = from.phoneNumber().orElse(null);
    String lid = from.kind() == ChatId.Kind.LID ? from.value() : lidsByPhone.get(phoneNumber);
    ChatId chat =
        group != null ? group : lid != null && phoneNumber != null ? new ChatId(lid) : from;
    phone.warmChats.add(chat.value());
    if (phoneNumber != null) {
      phone.warmChats.add(phoneNumber + "@c.us");
    }
    String providerMessageId = "false_" + chat.value() + "_" + ids.message();
    InboundContent stored = content;
    if (content.mediaUrl() == null && !"text".equals(content.type()) && isMedia(content.type())) {
      String url = "sim://media/" + providerMessageId;
      media.put(url, ("simulated " + content.type()).getBytes(StandardCharsets.UTF_8));
      stored =
          new InboundContent(
              content.type(),
              content.text(),
              url,
              content.mimetype(),
              content.filename(),
              content.details());
    }
    emitAsync(
        new TransportEvent.MessageReceived(
            sessionId,
            providerMessageId,
            chat,
            new WaIdentity(lid, phoneNumber, senderName),
            false,
            stored,
            null,
            clock.instant()));
    return providerMessageId;
  }

  /** A contact reacts to one of the session's messages. */
  public void react(
      SessionId sessionId, ChatId from, String targetProviderMessageId, String emoji) {
    requireWorking(phone(sessionId));
    emitAsync(
        new TransportEvent.ReactionReceived(
            sessionId,
            from,
            new WaIdentity(
                lidsByPhone.get(from.phoneNumber().orElse("")),
                from.phoneNumber().orElse(null),
                null),
            targetProviderMessageId,
            emoji,
            clock.instant()));
  }

  /** A group the session's number is in, with other members. */
  public ChatId createGroup(SessionId sessionId, String subject, List<String> participantPhones) {
    SimulatedPhone phone = phone(sessionId);
    requireWorking(phone);
    ChatId id = new ChatId(ids.group());
    Map<String, String> roles = new LinkedHashMap<>();
    roles.put(phone.phoneNumber, "superadmin");
    participantPhones.forEach(
        p -> roles.put(ChatId.parse(p).phoneNumber().orElseThrow(), "member"));
    groups.put(id.value(), new SimulatedGroup(id, subject, roles));
    emitAsync(new TransportEvent.GroupChanged(sessionId, id, subject, true, clock.instant()));
    return id;
  }

  /** Someone joins a group (membership events reach every session in it). */
  public void joinGroup(ChatId group, String participantPhone) {
    SimulatedGroup found = groups.get(group.value());
    if (found == null) {
      throw new TransportException("no group " + group, false);
    }
    String phoneNumber = ChatId.parse(participantPhone).phoneNumber().orElseThrow();
    found.rolesByPhone().put(phoneNumber, "member");
    phones.values().stream()
        .filter(p -> p.phoneNumber != null && found.rolesByPhone().containsKey(p.phoneNumber))
        .forEach(p ->
            emitAsync(
                new TransportEvent.GroupParticipantsChanged(
                    p.sessionId,
                    group,
                    "join",
                    List.of(
                        new GroupMember(
                            new WaIdentity(lidsByPhone.get(phoneNumber), phoneNumber, null),
                            "member")),
                    clock.instant())));
  }

  /** WhatsApp moves a contact to a linked id: later messages come from {@code <n>@lid}. */
  public String migrateToLid(SessionId sessionId, String phoneNumber) {
    String digits = ChatId.parse(phoneNumber).phoneNumber().orElseThrow();
    String lid = lidsByPhone.computeIfAbsent(digits, p -> lidOf(p));
    emitAsync(
        new TransportEvent.IdentityLearned(
            sessionId, new WaIdentity(lid, digits, null), clock.instant()));
    return lid;
  }

  /** A label is created on the phone (WhatsApp Business app). */
  public TransportLabel createLabelOnPhone(SessionId sessionId, String name, String colorHex) {
    TransportLabel label =
        saveLabel(new SessionRef(sessionId, null), new TransportLabel(null, name, colorHex));
    emitAsync(new TransportEvent.LabelChanged(sessionId, label, false, clock.instant()));
    return label;
  }

  /** A label is put on a chat on the phone. */
  public void labelChatOnPhone(SessionId sessionId, ChatId chat, String labelId) {
    phone(sessionId).chatLabels.computeIfAbsent(chat.value(), c -> new ArrayList<>()).add(labelId);
    emitAsync(new TransportEvent.ChatLabelChanged(sessionId, chat, labelId, true, clock.instant()));
  }

  /** What the simulated WhatsApp accepted from this session, oldest first. */
  public List<Delivery> deliveries(SessionId sessionId) {
    SimulatedPhone phone = phone(sessionId);
    synchronized (phone) {
      return List.copyOf(phone.deliveries);
    }
  }

  /** What the session did besides sending, oldest first. */
  public List<Activity> activities(SessionId sessionId) {
    SimulatedPhone phone = phone(sessionId);
    synchronized (phone) {
      return List.copyOf(phone.activities);
    }
  }

  public Map<String, List<String>> chatLabels(SessionId sessionId) {
    return Map.copyOf(phone(sessionId).chatLabels);
  }

  // --- internals --------------------------------------------------------------------------------

  private void requireWorking(SimulatedPhone phone) {
    if (phone.state != SessionState.WORKING) {
      throw new TransportException(
          "session is " + phone.state.name().toLowerCase() + ", not working", true);
    }
  }

  private void scheduleAck(
      SimulatedPhone phone,
      String providerMessageId,
      Ack ack,
      DeliveryError error,
      Duration delay) {
    if (delay.isNegative()) {
      return;
    }
    scheduler.schedule(
        () ->
            ackSenders.execute(() ->
                sink.accept(
                    new TransportEvent.DeliveryChanged(
                        phone.sessionId, providerMessageId, ack, error, clock.instant()))),
        delay.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void emitState(SimulatedPhone phone, SessionState state, String qrCode, String passkey) {
    phone.state = state;
    WaIdentity me =
        state == SessionState.WORKING && phone.phoneNumber != null
            ? new WaIdentity(lidOf(phone.phoneNumber), phone.phoneNumber, "Simulated phone")
            : null;
    emitAsync(
        new TransportEvent.SessionStateChanged(
            phone.sessionId, state, qrCode, passkey, me, null, clock.instant()));
  }

  private void emitAsync(TransportEvent event) {
    scheduler.execute(() -> sink.accept(event));
  }

  private void cancelPairing(SimulatedPhone phone) {
    if (phone.pairing != null) {
      phone.pairing.cancel(false);
      phone.pairing = null;
    }
  }

  private SimulatedPhone phone(SessionId sessionId) {
    return phones.computeIfAbsent(sessionId, SimulatedPhone::new);
  }

  private static boolean isMedia(String type) {
    return Set.of("image", "video", "document", "audio", "voice", "sticker").contains(type);
  }

  private static String type(OutboundMessage message) {
    return switch (message) {
      case OutboundMessage.Text t -> "text";
      case OutboundMessage.Media m -> m.kind().name().toLowerCase();
      case OutboundMessage.Poll p -> "poll";
      case OutboundMessage.Location l -> "location";
      case OutboundMessage.ContactCards c -> "contact";
      case OutboundMessage.Reaction r -> "reaction";
    };
  }

  private static String body(OutboundMessage message) {
    return message instanceof OutboundMessage.Text text ? text.body() : message.preview();
  }

  /** A stable, obviously fictional number per session (+1 555 is the fiction range). */
  static String simulatedNumber(SessionId sessionId) {
    long digits = Math.floorMod(sessionId.value().getLeastSignificantBits(), 10_000_000L);
    return "1555%07d".formatted(digits);
  }

  /** The linked id WhatsApp would give a number: deterministic, so tests can predict it. */
  static String lidOf(String phoneNumber) {
    return Math.floorMod(phoneNumber.hashCode(), 1_000_000_000_000L)
        + 100_000_000_000_000L
        + "@lid";
  }

  @Override
  public void destroy() {
    scheduler.shutdownNow();
    ackSenders.shutdownNow();
  }
}
