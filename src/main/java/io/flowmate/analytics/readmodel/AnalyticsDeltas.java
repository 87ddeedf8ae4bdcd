package io.flowmate.analytics.readmodel;

import io.flowmate.core.TenantId;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What one transaction changes in the read models, merged per row so that the transaction writes
 * each row once, in one statement ({@link AnalyticsReadModelRepository#apply}). Counters add up; a
 * campaign message keeps its furthest status and the first time of each step, so applying the same
 * step twice changes nothing.
 */
final class AnalyticsDeltas {

  /** Where a campaign message stands; the funnel only moves forward. */
  enum Step {
    QUEUED(1),
    SENT(2),
    DELIVERED(3),
    READ(4),
    PLAYED(5),
    FAILED(6),
    CANCELLED(6);

    final int progress;

    Step(int progress) {
      this.progress = progress;
    }

    String value() {
      return name().toLowerCase();
    }

    /** A message status as messaging names it; null for statuses outside the funnel. */
    static Step of(String status) {
      if (status == null) {
        return null;
      }
      return switch (status) {
        case "pending", "queued", "held", "sending" -> QUEUED;
        case "sent" -> SENT;
        case "delivered" -> DELIVERED;
        case "read" -> READ;
        case "played" -> PLAYED;
        case "failed" -> FAILED;
        case "cancelled" -> CANCELLED;
        default -> null;
      };
    }
  }

  /** A campaign message's row: the furthest step and the first time of each. */
  static final class CampaignMessage {
    final UUID messageId;
    final TenantId tenantId;
    final UUID campaignId;
    final String chatId;
    Step step;
    String failureReason;
    Instant queuedAt;
    Instant sentAt;
    Instant deliveredAt;
    Instant readAt;
    Instant repliedAt;
    Instant failedAt;

    CampaignMessage(UUID messageId, TenantId tenantId, UUID campaignId, String chatId, Step step) {
      this.messageId = messageId;
      this.tenantId = tenantId;
      this.campaignId = campaignId;
      this.chatId = chatId;
      this.step = step;
    }
  }

  /** A contact's counters: added to the stored ones. */
  static final class Contact {
    final TenantId tenantId;
    final String contactKey;
    UUID contactId;
    int sent;
    int received;
    int read;
    int replied;
    Instant lastSentAt;
    Instant lastReceivedAt;

    Contact(TenantId tenantId, String contactKey) {
      this.tenantId = tenantId;
      this.contactKey = contactKey;
    }
  }

  /**
   * One hour of the week's counters, for the whole tenant ({@code contactKey} "") or one contact.
   */
  static final class Slot {
    final TenantId tenantId;
    final String contactKey;
    final int hourOfWeek;
    int sent;
    int read;
    int readQuickly;
    int replied;

    Slot(TenantId tenantId, String contactKey, int hourOfWeek) {
      this.tenantId = tenantId;
      this.contactKey = contactKey;
      this.hourOfWeek = hourOfWeek;
    }
  }

  static final String WHOLE_TENANT = "";

  private record ContactKey(TenantId tenantId, String contactKey) {}

  private record SlotKey(TenantId tenantId, String contactKey, int hourOfWeek) {}

  private final Map<UUID, CampaignMessage> campaignMessages = new HashMap<>();
  private final Map<ContactKey, Contact> contacts = new HashMap<>();
  private final Map<SlotKey, Slot> slots = new HashMap<>();

  boolean isEmpty() {
    return campaignMessages.isEmpty() && contacts.isEmpty() && slots.isEmpty();
  }

  /**
   * A campaign message reached a step (or only got a reply: {@code step} is then where it stands,
   * and {@code repliedAt} is set).
   */
  void campaignMessage(
      UUID messageId,
      TenantId tenant,
      UUID campaignId,
      String chatId,
      Step step,
      Instant at,
      String failureReason,
      Instant sentAt,
      Instant repliedAt) {
    CampaignMessage row =
        campaignMessages.computeIfAbsent(
            messageId, id -> new CampaignMessage(id, tenant, campaignId, chatId, step));
    if (step.progress > row.step.progress) {
      row.step = step;
    }
    if (failureReason != null && (step == Step.FAILED || step == Step.CANCELLED)) {
      row.failureReason = failureReason;
    }
    row.sentAt = first(row.sentAt, sentAt);
    row.repliedAt = first(row.repliedAt, repliedAt);
    if (at == null) {
      return;
    }
    switch (step) {
      case QUEUED -> row.queuedAt = first(row.queuedAt, at);
      case SENT -> row.sentAt = first(row.sentAt, at);
      case DELIVERED -> row.deliveredAt = first(row.deliveredAt, at);
      case READ, PLAYED -> {
        // As messaging records it: a read message was delivered, even if that ack never came.
        row.deliveredAt = first(row.deliveredAt, at);
        row.readAt = first(row.readAt, at);
      }
      case FAILED, CANCELLED -> row.failedAt = first(row.failedAt, at);
    }
  }

  /** We sent a message to the contact, in this hour of the week. */
  void sent(TenantId tenant, String contactKey, Instant at, int hourOfWeek) {
    Contact contact = contact(tenant, contactKey);
    contact.sent++;
    contact.lastSentAt = last(contact.lastSentAt, at);
    slot(tenant, WHOLE_TENANT, hourOfWeek).sent++;
    slot(tenant, contactKey, hourOfWeek).sent++;
  }

  /** The contact read a message of ours sent in this hour of the week, quickly or not. */
  void read(TenantId tenant, String contactKey, Integer sentHourOfWeek, boolean quickly) {
    contact(tenant, contactKey).read++;
    if (sentHourOfWeek != null) {
      for (Slot slot :
          List.of(
              slot(tenant, WHOLE_TENANT, sentHourOfWeek),
              slot(tenant, contactKey, sentHourOfWeek))) {
        slot.read++;
        if (quickly) {
          slot.readQuickly++;
        }
      }
    }
  }

  /** The contact replied to a message of ours sent in this hour of the week. */
  void replied(TenantId tenant, String contactKey, Integer sentHourOfWeek) {
    contact(tenant, contactKey).replied++;
    if (sentHourOfWeek != null) {
      slot(tenant, WHOLE_TENANT, sentHourOfWeek).replied++;
      slot(tenant, contactKey, sentHourOfWeek).replied++;
    }
  }

  /** The contact wrote to us. */
  void received(TenantId tenant, String contactKey, UUID contactId, Instant at) {
    Contact contact = contact(tenant, contactKey);
    contact.received++;
    contact.lastReceivedAt = last(contact.lastReceivedAt, at);
    if (contactId != null) {
      contact.contactId = contactId;
    }
  }

  /**
   * Rows in key order: every transaction locks rows in the same order, so none waits in a circle.
   */
  List<CampaignMessage> campaignMessages() {
    return campaignMessages.values().stream()
        .sorted(Comparator.comparing(m -> m.messageId))
        .toList();
  }

  List<Contact> contacts() {
    return contacts.values().stream()
        .sorted(
            Comparator.comparing((Contact c) -> c.tenantId.value())
                .thenComparing(c -> c.contactKey))
        .toList();
  }

  List<Slot> slots() {
    return slots.values().stream()
        .sorted(
            Comparator.comparing((Slot s) -> s.tenantId.value())
                .thenComparing(s -> s.contactKey)
                .thenComparingInt(s -> s.hourOfWeek))
        .toList();
  }

  private Contact contact(TenantId tenant, String contactKey) {
    return contacts.computeIfAbsent(
        new ContactKey(tenant, contactKey), k -> new Contact(tenant, contactKey));
  }

  private Slot slot(TenantId tenant, String contactKey, int hourOfWeek) {
    return slots.computeIfAbsent(
        new SlotKey(tenant, contactKey, hourOfWeek), k -> new Slot(tenant, contactKey, hourOfWeek));
  }

  private static Instant first(Instant current, Instant candidate) {
    if (current == null) {
      return candidate;
    }
    return candidate != null && candidate.isBefore(current) ? candidate : current;
  }

  private static Instant last(Instant current, Instant candidate) {
    if (current == null) {
      return candidate;
    }
    return candidate != null && candidate.isAfter(current) ? candidate : current;
  }
}
