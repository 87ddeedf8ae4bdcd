package io.flowmate.messaging.inbound;

import io.flowmate.core.ChatId;
import io.flowmate.core.Ids;
import io.flowmate.core.LogSafe;
import io.flowmate.core.MessageId;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.core.db.GroupCommit;
import io.flowmate.core.sse.LiveEvents;
import io.flowmate.gateway.SessionInfo;
import io.flowmate.gateway.Sessions;
import io.flowmate.gateway.spi.TransportEvent;
import io.flowmate.gateway.spi.TransportEvent.AccountRestricted;
import io.flowmate.gateway.spi.TransportEvent.ChatLabelChanged;
import io.flowmate.gateway.spi.TransportEvent.GroupChanged;
import io.flowmate.gateway.spi.TransportEvent.GroupParticipantsChanged;
import io.flowmate.gateway.spi.TransportEvent.IdentityLearned;
import io.flowmate.gateway.spi.TransportEvent.LabelChanged;
import io.flowmate.gateway.spi.TransportEvent.MessageEdited;
import io.flowmate.gateway.spi.TransportEvent.MessageReceived;
import io.flowmate.gateway.spi.TransportEvent.MessageRevoked;
import io.flowmate.gateway.spi.TransportEvent.PollVoted;
import io.flowmate.gateway.spi.TransportEvent.ReactionReceived;
import io.flowmate.gateway.spi.TransportEventListener;
import io.flowmate.gateway.spi.WaIdentity;
import io.flowmate.messaging.MessageStatus;
import io.flowmate.messaging.MessagingSettings;
import io.flowmate.messaging.chats.ChatRepository;
import io.flowmate.messaging.chats.ContactRepository;
import io.flowmate.messaging.chats.GroupRepository;
import io.flowmate.messaging.delivery.DeliveryRepository;
import io.flowmate.messaging.events.ContactLearned;
import io.flowmate.messaging.events.MessageStatusChanged;
import io.flowmate.messaging.labels.LabelService;
import io.flowmate.messaging.message.Message;
import io.flowmate.messaging.message.MessageType;
import io.flowmate.messaging.outbox.OptOutRepository;
import io.flowmate.messaging.outbox.SendPolicy;
import io.flowmate.messaging.outbox.SenderStateRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores what happens in a number's chats: messages that arrive (and ours typed on the phone), once
 * per WhatsApp id however often a webhook repeats them; the contacts behind them, keyed on the
 * linked id with the phone number beside it; opt-out keywords; reply marks on what we sent;
 * reactions, edits, deletions and poll votes; group membership; labels changed on the phone.
 *
 * <p>{@link #onTransportEvent} returns once the event is committed and throws if it could not be
 * stored, so a webhook is acknowledged only for what is kept (WAHA delivers it again otherwise).
 * Events arriving together share a transaction ({@link GroupCommit}); a chat's events are written
 * in the order they came.
 */
@Component
public class InboundRecorder implements TransportEventListener, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(InboundRecorder.class);
  private static final int BATCH = 200;

  private final InboundRepository messages;
  private final DeliveryRepository deliveries;
  private final ChatRepository chats;
  private final ContactRepository contacts;
  private final OptOutRepository optOuts;
  private final GroupRepository groups;
  private final SenderStateRepository senderStates;
  private final LabelService labels;
  private final SendPolicy policy;
  private final Sessions sessions;
  private final LiveEvents live;
  private final ApplicationEventPublisher events;
  private final MessagingSettings settings;
  private final Clock clock;
  private final GroupCommit<TransportEvent> writer;

  InboundRecorder(
      InboundRepository messages,
      DeliveryRepository deliveries,
      ChatRepository chats,
      ContactRepository contacts,
      OptOutRepository optOuts,
      GroupRepository groups,
      SenderStateRepository senderStates,
      LabelService labels,
      SendPolicy policy,
      Sessions sessions,
      LiveEvents live,
      ApplicationEventPublisher events,
      TransactionTemplate transaction,
      MessagingSettings settings,
      Clock clock) {
    this.messages = messages;
    this.deliveries = deliveries;
    this.chats = chats;
    this.contacts = contacts;
    this.optOuts = optOuts;
    this.groups = groups;
    this.senderStates = senderStates;
    this.labels = labels;
    this.policy = policy;
    this.sessions = sessions;
    this.live = live;
    this.events = events;
    this.settings = settings;
    this.clock = clock;
    this.writer =
        new GroupCommit<>(
            "inbound",
            settings.inboundWriters(),
            BATCH,
            Duration.ofSeconds(30),
            transaction,
            this::recordAll,
            InboundRecorder::orderKey);
  }

  @Override
  public void onTransportEvent(TransportEvent event) {
    if (event instanceof TransportEvent.SessionStateChanged
        || event instanceof TransportEvent.DeliveryChanged) {
      return;
    }
    if (event instanceof ChatLabelChanged change) {
      // Asks WhatsApp about a label it has not seen before the event joins a shared transaction.
      labels.learnWhatsAppLabel(change.sessionId().value(), change.labelId());
    }
    writer.write(event);
  }

  /** A chat's events keep their order; events about no chat keep the session's. */
  private static int orderKey(TransportEvent event) {
    ChatId chat =
        switch (event) {
          case MessageReceived received -> received.chat();
          case ReactionReceived reaction -> reaction.chat();
          case MessageEdited edited -> edited.chat();
          case MessageRevoked revoked -> revoked.chat();
          case PollVoted vote -> vote.chat();
          case ChatLabelChanged change -> change.chat();
          default -> null;
        };
    return chat == null ? event.sessionId().hashCode() : chat.value().hashCode();
  }

  /**
   * Records events in their order. Messages that arrive together are stored with a few statements
   * for all of them; other events, rarer, one by one between them.
   */
  private void recordAll(List<TransportEvent> batch) {
    Instant now = clock.instant();
    Map<SessionId, Optional<SessionInfo>> known = new HashMap<>();
    List<Arrival> arrivals = new ArrayList<>();
    for (TransportEvent event : batch) {
      Optional<SessionInfo> session = known.computeIfAbsent(event.sessionId(), sessions::identify);
      if (session.isEmpty()) {
        log.debug("Event for unknown session {} ignored", event.sessionId());
      } else if (event instanceof MessageReceived received) {
        arrivals.add(
            new Arrival(
                session.get(),
                received,
                received.occurredAt() == null ? now : received.occurredAt()));
      } else {
        received(arrivals, now);
        arrivals.clear();
        record(session.get(), event, now);
      }
    }
    received(arrivals, now);
  }

  /** Any event but a message (those go through {@link #received}). */
  private void record(SessionInfo session, TransportEvent event, Instant now) {
    switch (event) {
      case ReactionReceived reaction ->
          messages.react(
              session.id().value(),
              reaction.targetProviderMessageId(),
              reactor(reaction.sender(), reaction.chat()),
              reaction.emoji() == null ? "" : reaction.emoji(),
              reaction.occurredAt());
      case MessageEdited edited ->
          messages.markEdited(
              session.id().value(), edited.providerMessageId(), edited.text(), edited.occurredAt());
      case MessageRevoked revoked ->
          messages.markRevoked(
              session.id().value(), revoked.providerMessageId(), revoked.occurredAt());
      case PollVoted vote ->
          messages.vote(
              session.id().value(),
              vote.pollProviderMessageId(),
              reactor(vote.voter(), vote.chat()),
              vote.selectedOptions(),
              vote.occurredAt());
      case GroupParticipantsChanged change ->
          groups.changeMembers(
              session.tenantId(),
              session.id().value(),
              change.group(),
              change.change(),
              change.participants(),
              change.occurredAt());
      case GroupChanged change ->
          groups.upsert(
              session.tenantId(),
              session.id().value(),
              change.group(),
              change.subject(),
              change.member(),
              change.occurredAt());
      case LabelChanged change -> labels.onWhatsAppLabel(session, change.label(), change.deleted());
      case ChatLabelChanged change ->
          labels.onWhatsAppChatLabel(session, change.chat(), change.labelId(), change.added());
      case IdentityLearned learned ->
          learn(
              List.of(
                  new ContactRepository.Sighting(
                      session.tenantId(), session.id().value(), learned.identity(), null)),
              now);
      case AccountRestricted restricted -> {
        Instant until =
            restricted.health() == null ? null : restricted.health().reachoutLockedUntil();
        if (until != null) {
          senderStates.lockReachout(
              session.tenantId(), session.id().value(), until, restricted.reason(), now);
        }
        log.warn(
            "WhatsApp restricted session {}: {}", session.id(), LogSafe.text(restricted.reason()));
      }
      default -> {}
    }
  }

  /** A message as it arrived, on a known session, at its time (or now if WhatsApp gave none). */
  private record Arrival(SessionInfo session, MessageReceived event, Instant at) {

    boolean inDirectChat() {
      return event.chat().kind() != ChatId.Kind.GROUP;
    }

    WaIdentity sender() {
      return event.sender() == null ? new WaIdentity(null, null, null) : event.sender();
    }
  }

  private void received(List<Arrival> arrivals, Instant now) {
    if (arrivals.isEmpty()) {
      return;
    }
    Map<UUID, Arrival> byMessage = new LinkedHashMap<>();
    List<Message> observed = new ArrayList<>();
    for (Arrival arrival : arrivals) {
      Message message = message(arrival, now);
      byMessage.put(message.id(), arrival);
      observed.add(message);
    }
    List<Message> fresh = withCollisions(observed, messages.insertObserved(observed));
    Map<String, Instant> lastOutbound =
        chats.record(
            fresh.stream()
                .map(m -> {
                  Arrival arrival = byMessage.get(m.id());
                  return new ChatRepository.Entry(
                      m, arrival.inDirectChat() ? arrival.sender().pushName() : null, arrival.at());
                })
                .toList());
    fresh.stream()
        .filter(m -> byMessage.get(m.id()).event().fromMe())
        .forEach(this::announceTypedOnPhone);
    List<Message> incoming =
        fresh.stream().filter(m -> !byMessage.get(m.id()).event().fromMe()).toList();
    List<Optional<ContactRepository.Learned>> contacts =
        learn(
            incoming.stream()
                .map(m -> {
                  Arrival arrival = byMessage.get(m.id());
                  return new ContactRepository.Sighting(
                      arrival.session().tenantId(),
                      arrival.session().id().value(),
                      arrival.event().sender(),
                      arrival.inDirectChat() ? arrival.at() : null);
                })
                .toList(),
            now);
    for (int i = 0; i < incoming.size(); i++) {
      Message message = incoming.get(i);
      Arrival arrival = byMessage.get(message.id());
      Instant wroteLast =
          lastOutbound.get(ChatRepository.key(message.sessionId(), message.chatId()));
      if (wroteLast != null && !wroteLast.isBefore(arrival.at().minus(settings.replyWindow()))) {
        deliveries
            .markReplied(
                message.sessionId(), message.chatId(), arrival.at(), settings.replyWindow())
            .forEach(replied -> events.publishEvent(replied.changed("replied", arrival.at())));
      }
      if (arrival.inDirectChat()) {
        honourOptOut(arrival, message);
      }
      announce(
          arrival, message, contacts.get(i).map(ContactRepository.Learned::contact).orElse(null));
    }
  }

  /**
   * Tells the messages not stored because their WhatsApp id was stored before apart: a repeat of
   * the stored message (WAHA delivering a webhook again) is dropped, as it should be; a different
   * message under the same id (a transport that handed the id out twice) is not a repeat and must
   * not vanish: it is stored under a distinct id made from its own contents, so that a repeat of it
   * is dropped in turn.
   *
   * @return the messages stored now, in the order given
   */
  private List<Message> withCollisions(List<Message> observed, List<Message> fresh) {
    if (fresh.size() == observed.size()) {
      return fresh;
    }
    Set<UUID> stored = new HashSet<>();
    fresh.forEach(m -> stored.add(m.id()));
    List<Message> notStored = observed.stream().filter(m -> !stored.contains(m.id())).toList();
    Map<String, Message> holders = messages.holdersOfProviderIds(notStored);
    List<Message> distinct = new ArrayList<>();
    for (Message message : notStored) {
      Message holder = holders.get(InboundRepository.providerKey(message));
      if (holder == null || sameMessage(holder, message)) {
        log.debug(
            "A message of session {} repeats stored message {}; dropped",
            message.sessionId(),
            holder == null ? null : holder.id());
        continue;
      }
      Message renamed =
          message.withWaMessageId(
              Message.distinctWaMessageId(message.waMessageId(), contentDigest(message)));
      log.warn(
          "An arriving message of session {} has the WhatsApp id of stored message {} but is a"
              + " different message; stored as {} under a distinct id",
          message.sessionId(),
          holder.id(),
          message.id());
      distinct.add(renamed);
    }
    Set<UUID> storedNow = new HashSet<>(stored);
    messages.insertObserved(distinct).forEach(m -> storedNow.add(m.id()));
    Map<UUID, Message> renamedById = new HashMap<>();
    distinct.forEach(m -> renamedById.put(m.id(), m));
    return observed.stream()
        .filter(m -> storedNow.contains(m.id()))
        .map(m -> renamedById.getOrDefault(m.id(), m))
        .toList();
  }

  /**
   * Whether a message arriving under a stored message's WhatsApp id is that message again: same
   * chat, same side; an incoming one also says the same. (Ours typed on the phone are compared by
   * chat alone: WhatsApp never reuses our own ids, and how a transport describes what we sent may
   * differ from how we stored it.)
   */
  private static boolean sameMessage(Message stored, Message arriving) {
    if (!stored.chatId().equals(arriving.chatId()) || stored.direction() != arriving.direction()) {
      return false;
    }
    return arriving.isOutbound()
        || stored.content().type() == arriving.content().type()
            && Objects.equals(stored.content().body(), arriving.content().body());
  }

  /** Eight hex digits of a digest of what the message is, the same for every repeat of it. */
  private static String contentDigest(Message message) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String identity =
          String.join(
              "\n",
              message.chatId().value(),
              message.direction().value(),
              message.content().type().value(),
              String.valueOf(message.content().body()));
      return HexFormat.of().formatHex(sha.digest(identity.getBytes(StandardCharsets.UTF_8)), 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A message we typed on the phone is one the number sent, as if through Flowmate. */
  private void announceTypedOnPhone(Message message) {
    events.publishEvent(
        new MessageStatusChanged(
            message.tenantId(),
            SessionId.of(message.sessionId()),
            MessageId.of(message.id()),
            MessageStatus.SENT.value(),
            message.times().sentAt(),
            null,
            message.chatId().value(),
            null,
            null,
            null,
            message.times().sentAt()));
  }

  private Message message(Arrival arrival, Instant now) {
    MessageReceived received = arrival.event();
    TransportEvent.InboundContent content = received.content();
    Map<String, Object> payload =
        new HashMap<>(content.details() == null ? Map.of() : content.details());
    if (content.mediaUrl() != null) {
      payload.put("media_url", content.mediaUrl());
    }
    if (content.mimetype() != null) {
      payload.put("mimetype", content.mimetype());
    }
    if (content.filename() != null) {
      payload.put("filename", content.filename());
    }
    WaIdentity sender = arrival.sender();
    Instant at = arrival.at();
    Message.Content said =
        new Message.Content(
            MessageType.of(content.type()), content.text(), payload, null, received.replyTo());
    if (received.fromMe()) {
      return Message.typedOnPhone(
          Ids.newId(),
          arrival.session().tenantId(),
          arrival.session().id().value(),
          received.chat(),
          said,
          received.providerMessageId(),
          at,
          now);
    }
    return Message.received(
        Ids.newId(),
        arrival.session().tenantId(),
        arrival.session().id().value(),
        received.chat(),
        said,
        new Message.Sender(sender.phoneNumber(), sender.lid(), sender.pushName()),
        received.providerMessageId(),
        at,
        now);
  }

  /** An opt-out keyword from a person blocks both their phone number and their LID, for good. */
  private void honourOptOut(Arrival arrival, Message message) {
    WaIdentity sender = arrival.sender();
    TenantId tenant = arrival.session().tenantId();
    policy
        .optOutKeyword(message.content().body())
        .ifPresent(keyword -> {
          if (sender.phoneNumber() != null) {
            optOuts.add(tenant, sender.phoneNumber(), keyword, message.id(), arrival.at());
          }
          if (sender.lid() != null) {
            optOuts.add(tenant, sender.lid(), keyword, message.id(), arrival.at());
          }
          log.info(
              "The sender of message {} opted out with '{}'", message.id(), LogSafe.text(keyword));
        });
  }

  private void announce(Arrival arrival, Message message, ContactRepository.Contact contact) {
    SessionInfo session = arrival.session();
    boolean group = !arrival.inDirectChat();
    String phone =
        arrival.sender().phoneNumber() != null
            ? arrival.sender().phoneNumber()
            : contact == null ? null : contact.phone();
    events.publishEvent(
        new io.flowmate.messaging.events.MessageReceived(
            session.tenantId(),
            session.id(),
            MessageId.of(message.id()),
            message.chatId().value(),
            contact == null ? null : contact.id(),
            group,
            message.content().type().value(),
            arrival.at(),
            phone));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("message_id", message.id());
    data.put("session_id", session.id());
    data.put("chat_id", message.chatId().value());
    data.put("message_type", message.content().type().value());
    data.put("wa_message_id", message.waMessageId());
    live.publish(session.tenantId(), session.id().value(), "message.received", data);
  }

  /** Learns the people seen; tells other modules about those seen for the first time. */
  private List<Optional<ContactRepository.Learned>> learn(
      List<ContactRepository.Sighting> sightings, Instant now) {
    List<Optional<ContactRepository.Learned>> learned = contacts.learn(sightings, now);
    for (int i = 0; i < sightings.size(); i++) {
      ContactRepository.Sighting sighting = sightings.get(i);
      learned
          .get(i)
          .filter(ContactRepository.Learned::isNew)
          .ifPresent(l ->
              events.publishEvent(
                  new ContactLearned(
                      sighting.tenant(),
                      SessionId.of(sighting.sessionId()),
                      l.contact().id(),
                      now)));
    }
    return learned;
  }

  @Override
  public void destroy() {
    writer.close();
  }

  private static String reactor(WaIdentity who, ChatId chat) {
    if (who != null && who.lid() != null) {
      return who.lid();
    }
    if (who != null && who.phoneNumber() != null) {
      return who.phoneNumber();
    }
    return chat.value();
  }
}
