package io.flowmate.analytics.readmodel;

import io.flowmate.admin.PlanLimits;
import io.flowmate.admin.Tenants;
import io.flowmate.core.CampaignId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.flowmate.outreach.Campaigns;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Campaign analytics (reference API, added in MoltFlow 2.9.0, Pro and Business plans): one
 * bulk-send job's delivery funnel, failure reasons, pace and per-recipient status, from the read
 * model the job's message events keep.
 */
@RestController
@RequestMapping("/api/v2/analytics")
@Tag(name = "Analytics", description = "Campaign funnels, contact engagement and best send times")
class CampaignAnalyticsController {

  private static final int FAILURE_REASONS = 20;

  private final Campaigns campaigns;
  private final CampaignAnalyticsRepository analytics;
  private final Tenants tenants;

  CampaignAnalyticsController(
      Campaigns campaigns, CampaignAnalyticsRepository analytics, Tenants tenants) {
    this.campaigns = campaigns;
    this.analytics = analytics;
    this.tenants = tenants;
  }

  /**
   * @param queued every message the job queued (one per recipient)
   * @param waiting queued, not sent yet
   * @param sent accepted by WhatsApp (and so every later step)
   */
  record FunnelView(
      long queued,
      long waiting,
      long sent,
      long delivered,
      long read,
      long replied,
      long failed,
      long cancelled) {}

  /** Shares of the messages sent (failure: of those queued), 0 to 1. */
  record RatesView(double deliveryRate, double readRate, double replyRate, double failureRate) {}

  record PaceView(
      double messagesPerMinute,
      long peakMessagesPerMinute,
      Instant firstSentAt,
      Instant lastSentAt) {}

  record RecipientView(
      UUID messageId,
      String chatId,
      String status,
      boolean replied,
      String failureReason,
      Instant queuedAt,
      Instant sentAt,
      Instant deliveredAt,
      Instant readAt,
      Instant repliedAt,
      Instant failedAt) {

    static RecipientView of(CampaignAnalyticsRepository.Recipient r) {
      return new RecipientView(
          r.messageId(),
          r.chatId(),
          r.status(),
          r.repliedAt() != null,
          r.failureReason(),
          r.queuedAt(),
          r.sentAt(),
          r.deliveredAt(),
          r.readAt(),
          r.repliedAt(),
          r.failedAt());
    }
  }

  record CampaignAnalyticsView(
      UUID jobId,
      String name,
      String status,
      UUID sessionId,
      int totalRecipients,
      FunnelView funnel,
      RatesView rates,
      List<CampaignAnalyticsRepository.FailureReason> failureReasons,
      PaceView pace,
      Page<RecipientView> recipients) {}

  @GetMapping("/campaigns/{jobId}")
  @RequiresScope(Scopes.BULK_SEND_READ)
  @Operation(
      summary = "A bulk-send job's funnel, failure reasons, pace and per-recipient status (Pro+)",
      description =
          "funnel: queued → sent → delivered → read → replied, plus failed and cancelled (a read message"
              + " counts as delivered and sent). rates are shares of the messages sent (failure_rate: of those"
              + " queued). pace.messages_per_minute is the messages sent divided by the minutes between the"
              + " first and last send (at least one). recipients is paged with limit (1-100, default 50) and"
              + " offset, in the order the messages were queued. 403 below the Pro plan; 404 for an unknown"
              + " job or another tenant's.")
  CampaignAnalyticsView campaign(
      Caller caller,
      @PathVariable UUID jobId,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    PageQuery page = PageQuery.of(limit, offset);
    PlanLimits plan = tenants.limits(caller.tenantId());
    if (!plan.campaignAnalyticsEnabled()) {
      throw ApiException.forbidden(
          "Campaign analytics is not included in the %s plan; upgrade to Pro or higher"
              .formatted(plan.displayName()));
    }
    Campaigns.CampaignSummary job =
        campaigns
            .find(caller.tenantId(), CampaignId.of(jobId))
            .orElseThrow(() -> ApiException.notFound("Bulk-send job", jobId));
    CampaignAnalyticsRepository.Funnel funnel = analytics.funnel(caller.tenantId(), jobId);
    List<RecipientView> recipients =
        analytics.recipients(caller.tenantId(), jobId, page).stream()
            .map(RecipientView::of)
            .toList();
    return new CampaignAnalyticsView(
        job.id().value(),
        job.name(),
        job.status(),
        job.sessionId().value(),
        job.totalRecipients(),
        new FunnelView(
            funnel.queued(),
            funnel.waiting(),
            funnel.sent(),
            funnel.delivered(),
            funnel.read(),
            funnel.replied(),
            funnel.failed(),
            funnel.cancelled()),
        new RatesView(
            share(funnel.delivered(), funnel.sent()),
            share(funnel.read(), funnel.sent()),
            share(funnel.replied(), funnel.sent()),
            share(funnel.failed(), funnel.queued())),
        analytics.failureReasons(caller.tenantId(), jobId, FAILURE_REASONS),
        new PaceView(
            perMinute(funnel), funnel.peakPerMinute(), funnel.firstSentAt(), funnel.lastSentAt()),
        Page.of(recipients, funnel.queued(), page));
  }

  static double perMinute(CampaignAnalyticsRepository.Funnel funnel) {
    if (funnel.sent() == 0) {
      return 0;
    }
    double minutes =
        Math.max(
            1.0, Duration.between(funnel.firstSentAt(), funnel.lastSentAt()).toMillis() / 60_000.0);
    return Math.round(funnel.sent() / minutes * 100) / 100.0;
  }

  private static double share(long part, long whole) {
    return whole == 0 ? 0 : Math.round((double) part / whole * 10_000) / 10_000.0;
  }
}
