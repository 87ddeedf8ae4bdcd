package io.flowmate.leads.pipeline;

import io.flowmate.core.SessionId;
import io.flowmate.gateway.SessionInfo;
import io.flowmate.gateway.Sessions;
import io.flowmate.messaging.Conversations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * A lead's story, newest first: its detection, what happened to it in the pipeline (status changes
 * by whom, scores, suggestions) and its latest messages with the tenant's numbers.
 */
@Service
class LeadTimeline {

  /** How many pipeline events and how many messages a timeline shows. */
  static final int EVENTS = 50;

  static final int MESSAGES = 20;

  private final LeadActivityRepository activity;
  private final Sessions sessions;
  private final Conversations conversations;

  LeadTimeline(LeadActivityRepository activity, Sessions sessions, Conversations conversations) {
    this.activity = activity;
    this.sessions = sessions;
    this.conversations = conversations;
  }

  /**
   * One thing that happened.
   *
   * @param kind {@code detected}, {@code status_changed}, {@code scored}, {@code status_suggested},
   *     {@code message_received} or {@code message_sent}
   * @param actor who changed the status: {@code user}, {@code bulk} or {@code automatic}
   */
  record Entry(
      Instant at,
      String kind,
      String actor,
      String fromStatus,
      String toStatus,
      Integer score,
      String detail,
      UUID messageId,
      UUID sessionId) {}

  List<Entry> of(Lead lead) {
    List<Entry> entries = new ArrayList<>();
    Lead.Trigger trigger = lead.trigger();
    entries.add(
        new Entry(
            lead.detectedAt(),
            "detected",
            null,
            null,
            LeadStatus.NEW.value(),
            null,
            trigger == null
                ? "entered by hand"
                : "matched '%s' in %s: %s"
                    .formatted(
                        trigger.matchedKeyword(), lead.sourceGroupName(), trigger.messagePreview()),
            null,
            null));
    for (LeadActivityRepository.Event event : activity.events(lead.tenantId(), lead.id(), EVENTS)) {
      entries.add(
          new Entry(
              event.at(),
              event.kind().value(),
              event.actor().value(),
              event.fromStatus() == null ? null : event.fromStatus().value(),
              event.toStatus() == null ? null : event.toStatus().value(),
              event.score(),
              event.detail(),
              null,
              null));
    }
    List<SessionId> sessionIds =
        sessions.list(lead.tenantId()).stream().map(SessionInfo::id).toList();
    for (Conversations.ExchangedMessage message :
        conversations.recentWith(lead.tenantId(), sessionIds, lead.contactPhone(), MESSAGES)) {
      entries.add(
          new Entry(
              message.at(),
              "inbound".equals(message.direction()) ? "message_received" : "message_sent",
              null,
              null,
              null,
              null,
              message.preview(),
              message.messageId().value(),
              message.sessionId().value()));
    }
    entries.sort(Comparator.comparing(Entry::at, Comparator.nullsLast(Comparator.reverseOrder())));
    return entries;
  }
}
