package io.flowmate.messaging;

import io.flowmate.core.ChatId;
import io.flowmate.core.Ids;
import io.flowmate.core.MessageId;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.messaging.chats.MessageViews;
import io.flowmate.messaging.events.MessageStatusChanged;
import io.flowmate.messaging.message.Message;
import io.flowmate.messaging.message.MessageType;
import io.flowmate.messaging.outbox.OutboxDispatcher;
import io.flowmate.messaging.outbox.OutboxRepository;
import io.flowmate.messaging.outbox.SendPolicy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * How other modules' processes (campaigns, schedules, follow-ups) send: they queue many messages at
 * once, each under an idempotency key of their own making, tagged with their {@link Origin}. A text
 * that already went (or is about to go) to the same chat within the duplicate window fails at once,
 * as a single send would be refused. The messages then take the same path as any other: the
 * number's send governor paces them and refuses what policy forbids (opt-outs, reciprocity,
 * allow-list) with a reason. An origin can hold its waiting messages (pause), release them (resume)
 * or cancel them, and count them by status. Queueing, the duplicate guard's failures and cancelling
 * are announced as {@link MessageStatusChanged} within the caller's transaction.
 */
@Service
public class Outbox {

  private final OutboxRepository messages;
  private final OutboxDispatcher dispatcher;
  private final SendPolicy policy;
  private final MessagingSettings settings;
  private final MessageViews views;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  Outbox(
      OutboxRepository messages,
      OutboxDispatcher dispatcher,
      SendPolicy policy,
      MessagingSettings settings,
      MessageViews views,
      ApplicationEventPublisher events,
      Clock clock) {
    this.messages = messages;
    this.dispatcher = dispatcher;
    this.policy = policy;
    this.settings = settings;
    this.views = views;
    this.events = events;
    this.clock = clock;
  }

  /**
   * What queued a message.
   *
   * @param kind short lowercase word shown as the message's {@code source}: {@code campaign},
   *     {@code schedule}, {@code follow_up}
   */
  public record Origin(String kind, UUID id) {}

  /**
   * What a message says: text, or media by URL with an optional caption.
   *
   * @param type {@code text}, {@code image}, {@code video}, {@code audio} or {@code document}
   */
  public record Content(String type, String text, String mediaUrl) {

    public static Content text(String text) {
      return new Content(MessageType.TEXT.value(), text, null);
    }

    /** Media by URL; the kind is told from the file name's extension (else a document). */
    public static Content media(String url, String caption) {
      return new Content(mediaKind(url), caption, url);
    }
  }

  /**
   * One message to queue.
   *
   * @param idempotencyKey unique for the tenant; queueing the same key again does nothing
   */
  public record Outgoing(ChatId chat, Content content, String idempotencyKey) {}

  /**
   * Messages of one origin from one number.
   *
   * @param held queue them held (the origin is paused): they wait until {@link #release}
   * @param repeatable exempt from the 24-hour duplicate guard: the same reminder is meant to go
   *     again, e.g. a daily schedule
   * @param gap the delay range after each of these messages, or null for the governor's alone
   */
  public record Batch(
      TenantId tenant,
      SessionId sessionId,
      Origin origin,
      List<Outgoing> messages,
      boolean held,
      boolean repeatable,
      SendGap gap) {}

  /**
   * A campaign's delay range: after sending one of its messages, the number waits a random time in
   * [min, max] before its next send, or the governor's own gap if that is longer. Like all pacing,
   * it is off when the governor's pacing is off.
   */
  public record SendGap(Duration min, Duration max) {

    public SendGap {
      if (min.isNegative() || max.compareTo(min) < 0) {
        throw new IllegalArgumentException("a send gap needs 0 <= min <= max");
      }
    }

    public static SendGap ofMillis(Integer min, Integer max) {
      return min == null || max == null
          ? null
          : new SendGap(Duration.ofMillis(min), Duration.ofMillis(max));
    }
  }

  /** One of an origin's messages, as it stands now. */
  public record OriginMessage(
      MessageId messageId,
      String chatId,
      String status,
      String failureReason,
      Instant createdAt,
      Instant sentAt,
      Instant deliveredAt,
      Instant readAt,
      Instant repliedAt) {}

  /**
   * Queues the batch in one statement and wakes the number's send lane.
   *
   * @return how many were new (repeated idempotency keys are skipped)
   */
  @Transactional
  public int enqueue(Batch batch) {
    Instant now = clock.instant();
    List<Message> rows = new ArrayList<>(batch.messages().size());
    List<byte[]> bodyHashes = new ArrayList<>(batch.messages().size());
    for (Outgoing outgoing : batch.messages()) {
      Message.Content content = content(outgoing.content());
      rows.add(
          Message.fromOrigin(
              Ids.newId(),
              batch.tenant(),
              batch.sessionId().value(),
              outgoing.chat(),
              batch.origin().kind(),
              content,
              batch.held() ? MessageStatus.HELD : MessageStatus.QUEUED,
              outgoing.idempotencyKey(),
              batch.gap(),
              now));
      bodyHashes.add(batch.repeatable() ? null : SendPolicy.bodyHash(content.body()));
    }
    List<UUID> queued =
        messages.insertFromOrigin(
            rows, bodyHashes, batch.origin().kind(), batch.origin().id(), batch.gap());
    announceQueued(batch, rows, queued, now);
    Duration window = settings.governor().duplicateWindow();
    if (!batch.repeatable() && !window.isZero()) {
      // The same guard as for a single send, for the whole batch in one statement.
      messages
          .failRepeatedTexts(
              rows.stream().map(Message::id).toList(),
              now.minus(window),
              "not sent: " + policy.duplicateReason("{chat}"),
              batch.held() ? MessageStatus.HELD : MessageStatus.QUEUED,
              now)
          .forEach(
              failed -> events.publishEvent(failed.changed(MessageStatus.FAILED.value(), now)));
    }
    if (!batch.held() && !queued.isEmpty()) {
      wakeAfterCommit(batch.sessionId().value());
    }
    return queued.size();
  }

  /** Tells listeners in this transaction which of the batch's messages are new in the queue. */
  private void announceQueued(Batch batch, List<Message> rows, List<UUID> queued, Instant now) {
    Set<UUID> fresh = new HashSet<>(queued);
    for (Message row : rows) {
      if (fresh.contains(row.id())) {
        events.publishEvent(
            new MessageStatusChanged(
                batch.tenant(),
                batch.sessionId(),
                MessageId.of(row.id()),
                MessageStatus.QUEUED.value(),
                now,
                null,
                row.chatId().value(),
                batch.origin().kind(),
                batch.origin().id(),
                null,
                null));
      }
    }
  }

  /** Pauses: the origin's queued messages are held back from the send lanes. */
  @Transactional
  public int hold(Origin origin) {
    return messages
        .moveOriginMessages(
            origin.id(), List.of(MessageStatus.QUEUED), MessageStatus.HELD, null, clock.instant())
        .size();
  }

  /** Resumes: the origin's held messages are queued again and their send lanes woken. */
  public void release(Origin origin) {
    messages
        .moveOriginMessages(
            origin.id(), List.of(MessageStatus.HELD), MessageStatus.QUEUED, null, clock.instant())
        .forEach(this::wakeAfterCommit);
  }

  /** Cancels every message of the origin that has not left yet, with the reason. */
  @Transactional
  public void cancel(Origin origin, String reason) {
    Instant now = clock.instant();
    messages
        .cancelOriginMessages(origin.id(), reason, now)
        .forEach(cancelled ->
            events.publishEvent(cancelled.changed(MessageStatus.CANCELLED.value(), now)));
  }

  /**
   * The origin's messages counted by status ({@code queued}, {@code held}, {@code sent}, {@code
   * delivered}, {@code read}, {@code played}, {@code failed}, {@code cancelled}), zero counts left
   * out.
   */
  public Map<String, Long> countByStatus(Origin origin) {
    return countByStatus(List.of(origin)).get(origin);
  }

  /** {@link #countByStatus(Origin)} for many origins with one query (a page of campaigns). */
  public Map<Origin, Map<String, Long>> countByStatus(Collection<Origin> origins) {
    Map<UUID, Map<MessageStatus, Long>> byId =
        messages.countByStatus(origins.stream().map(Origin::id).toList());
    Map<Origin, Map<String, Long>> counts = new LinkedHashMap<>();
    for (Origin origin : origins) {
      Map<String, Long> ofOrigin = new LinkedHashMap<>();
      byId.getOrDefault(origin.id(), Map.of())
          .forEach((status, count) -> ofOrigin.put(status.value(), count));
      counts.put(origin, ofOrigin);
    }
    return counts;
  }

  /** Whether any of the origin's messages still waits to leave (pending, queued, held, sending). */
  public boolean hasWaiting(Origin origin) {
    return messages.originHasWaiting(origin.id());
  }

  /** The origin's messages in the order they were queued, optionally of one status. */
  public List<OriginMessage> messagesOf(Origin origin, String status, int limit, long offset) {
    MessageStatus wanted;
    try {
      wanted = status == null ? null : MessageStatus.of(status);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("status '%s' is not a message status".formatted(status));
    }
    return messages.ofOrigin(origin.id(), wanted, limit, offset).stream()
        .map(m ->
            new OriginMessage(
                MessageId.of(m.id()),
                m.chatId().value(),
                m.status().visible().value(),
                views.failureReason(m),
                m.times().createdAt(),
                m.times().sentAt(),
                m.times().deliveredAt(),
                m.times().readAt(),
                m.times().repliedAt()))
        .toList();
  }

  /** The lane would find nothing before the caller's transaction commits: wake it after. */
  private void wakeAfterCommit(UUID sessionId) {
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              dispatcher.wake(sessionId);
            }
          });
    } else {
      dispatcher.wake(sessionId);
    }
  }

  private static Message.Content content(Content content) {
    MessageType type = MessageType.of(content.type());
    if (type == MessageType.TEXT) {
      return Message.Content.text(content.text());
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("media_url", content.mediaUrl());
    if (content.text() != null) {
      payload.put("caption", content.text());
    }
    return new Message.Content(type, content.text(), payload, null, null);
  }

  private static String mediaKind(String url) {
    String path;
    try {
      path = URI.create(url).getPath();
    } catch (IllegalArgumentException e) {
      path = url;
    }
    String name = path == null ? "" : path.toLowerCase(Locale.ROOT);
    String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
    MessageType kind =
        switch (extension) {
          case "jpg", "jpeg", "png", "webp", "gif" -> MessageType.IMAGE;
          case "mp4", "3gp", "mov" -> MessageType.VIDEO;
          case "mp3", "ogg", "opus", "m4a", "aac", "wav" -> MessageType.AUDIO;
          default -> MessageType.DOCUMENT;
        };
    return kind.value();
  }
}
