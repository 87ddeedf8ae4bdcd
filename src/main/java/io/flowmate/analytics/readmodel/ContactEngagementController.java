package io.flowmate.analytics.readmodel;

import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The engagement leaderboard (reference API {@code /analytics/contacts}, MCP tool {@code
 * get_contact_engagement}): the tenant's contacts across all its numbers, ranked by a score from
 * messages sent, received, reply rate and recency ({@link ContactEngagementScore}).
 */
@RestController
@RequestMapping("/api/v2/analytics")
@Tag(name = "Analytics", description = "Campaign funnels, contact engagement and best send times")
class ContactEngagementController {

  private static final String SORTS =
      Arrays.stream(ContactEngagementRepository.Sort.values())
          .map(ContactEngagementRepository.Sort::value)
          .collect(Collectors.joining(", "));

  private final ContactEngagementRepository contacts;
  private final Clock clock;

  ContactEngagementController(ContactEngagementRepository contacts, Clock clock) {
    this.contacts = contacts;
    this.clock = clock;
  }

  record ScoreView(double replyPoints, double volumePoints, double recencyPoints) {}

  /**
   * @param chatId the person: {@code <phone>@c.us}, or {@code <n>@lid} while their number is
   *     unknown
   * @param phone E.164 digits when known
   * @param contactId messaging's contact id, as last seen
   * @param replyRate the share of our messages sent to them that they replied to
   */
  record ContactView(
      String chatId,
      String phone,
      UUID contactId,
      double engagementScore,
      ScoreView score,
      long messagesSent,
      long messagesReceived,
      long messagesRead,
      long messagesReplied,
      double replyRate,
      Instant lastMessageAt,
      Instant lastSentAt,
      Instant lastReceivedAt) {

    static ContactView of(ContactEngagementRepository.ContactRow row, Instant now) {
      ContactEngagementScore score =
          ContactEngagementScore.of(
              row.messagesSent(),
              row.messagesReceived(),
              row.messagesReplied(),
              row.lastReceivedAt(),
              now);
      Instant last =
          row.lastSentAt() == null
              ? row.lastReceivedAt()
              : row.lastReceivedAt() == null || row.lastSentAt().isAfter(row.lastReceivedAt())
                  ? row.lastSentAt()
                  : row.lastReceivedAt();
      return new ContactView(
          row.contactKey(),
          row.contactKey().endsWith("@c.us")
              ? row.contactKey().substring(0, row.contactKey().indexOf('@'))
              : null,
          row.contactId(),
          score.score(),
          new ScoreView(score.replyPoints(), score.volumePoints(), score.recencyPoints()),
          row.messagesSent(),
          row.messagesReceived(),
          row.messagesRead(),
          row.messagesReplied(),
          row.messagesSent() == 0
              ? 0
              : Math.round(
                      Math.min(1.0, (double) row.messagesReplied() / row.messagesSent()) * 10_000)
                  / 10_000.0,
          last,
          row.lastSentAt(),
          row.lastReceivedAt());
    }
  }

  @GetMapping("/contacts")
  @RequiresScope(Scopes.MESSAGES_READ)
  @Operation(
      summary = "Contacts ranked by engagement score (0-100) or another figure, highest first",
      description =
          "sort: engagement_score (default), messages_sent, messages_received, reply_rate or last_message_at;"
              + " limit (1-100, default 50) and offset. engagement_score = reply (40 × reply rate) + volume"
              + " (30 × ln(1 + received + sent/2) / ln 41, at most 30) + recency (30 × 0.5^(days since they last"
              + " wrote / 14)); score shows the three parts. Direct chats only, all numbers of the tenant.")
  Page<ContactView> contacts(
      Caller caller,
      @RequestParam(required = false) String sort,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    ContactEngagementRepository.Sort order = sort(sort);
    PageQuery page = PageQuery.of(limit, offset);
    Instant now = clock.instant();
    return Page.of(
        contacts.page(caller.tenantId(), order, now, page).stream()
            .map(row -> ContactView.of(row, now))
            .toList(),
        contacts.count(caller.tenantId()),
        page);
  }

  private static ContactEngagementRepository.Sort sort(String sort) {
    if (sort == null || sort.isBlank()) {
      return ContactEngagementRepository.Sort.ENGAGEMENT_SCORE;
    }
    for (ContactEngagementRepository.Sort candidate : ContactEngagementRepository.Sort.values()) {
      if (candidate.value().equals(sort.strip())) {
        return candidate;
      }
    }
    throw ApiException.invalid("sort must be one of %s; not '%s'".formatted(SORTS, sort));
  }
}
