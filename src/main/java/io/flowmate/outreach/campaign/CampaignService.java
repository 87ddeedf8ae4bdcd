package io.flowmate.outreach.campaign;

import io.flowmate.admin.PlanLimits;
import io.flowmate.admin.Tenants;
import io.flowmate.core.ApprovalId;
import io.flowmate.core.Ids;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.IdempotentCreate;
import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
import io.flowmate.core.net.OutboundUrls;
import io.flowmate.gateway.Sessions;
import io.flowmate.messaging.Outbox;
import io.flowmate.outreach.OutreachSettings;
import io.flowmate.outreach.audience.Audience;
import io.flowmate.outreach.audience.MessageTemplate;
import io.flowmate.workflow.Approval;
import io.flowmate.workflow.Approvals;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Bulk-send campaigns: created (with an approval when the tenant requires one) and handed to their
 * {@code outreach-campaign} instance; paused, resumed and cancelled through the API, which changes
 * the campaign's state in PostgreSQL and signals the instance, whose tasks act on the queue.
 */
@Service
class CampaignService {

  static final String CANCELLED_BY_API = "cancelled through the API";
  static final int MAX_TEXT_LENGTH = 4096;
  static final int MAX_VARIANTS = 20;

  private final CampaignRepository campaigns;
  private final Audience audience;
  private final Sessions sessions;
  private final Tenants tenants;
  private final Approvals approvals;
  private final Outbox outbox;
  private final CampaignProcessStarter starter;
  private final CampaignSignals signals;
  private final OutreachSettings.Campaigns settings;
  private final TransactionTemplate transaction;
  private final Clock clock;
  private final OutboundUrls urls;

  CampaignService(
      CampaignRepository campaigns,
      Audience audience,
      Sessions sessions,
      Tenants tenants,
      Approvals approvals,
      Outbox outbox,
      CampaignProcessStarter starter,
      CampaignSignals signals,
      OutreachSettings settings,
      TransactionTemplate transaction,
      Clock clock,
      OutboundUrls urls) {
    this.campaigns = campaigns;
    this.audience = audience;
    this.sessions = sessions;
    this.tenants = tenants;
    this.approvals = approvals;
    this.outbox = outbox;
    this.starter = starter;
    this.signals = signals;
    this.settings = settings.campaigns();
    this.transaction = transaction;
    this.clock = clock;
    this.urls = urls;
  }

  /**
   * A campaign as the API asks for it (the body of {@code POST /bulk-send}).
   *
   * @param variants alternative texts (each recipient gets one of them or message_content)
   * @param filter only members whose custom fields have these values, e.g. {"unpaid": "yes"}
   */
  record Draft(
      String name,
      UUID sessionId,
      UUID customGroupId,
      String messageType,
      String messageContent,
      String mediaUrl,
      List<String> variants,
      Map<String, String> filter,
      Integer delayMinSeconds,
      Integer delayMaxSeconds) {}

  /** The campaign, and whether this request replayed an earlier one with the same key. */
  record Accepted(Campaign campaign, boolean replayed) {}

  Accepted create(TenantId tenant, Draft request, String idempotencyKey) {
    Draft draft = validated(request);
    byte[] requestHash = IdempotentCreate.requestHash(draft);
    IdempotentCreate.Outcome<Campaign> outcome =
        IdempotentCreate.create(
            idempotencyKey,
            requestHash,
            "bulk-send job",
            key ->
                campaigns
                    .findByIdempotencyKey(tenant, key)
                    .map(earlier ->
                        new IdempotentCreate.Earlier<>(earlier.getKey(), earlier.getValue())),
            key -> store(tenant, draft, key, requestHash));
    return new Accepted(outcome.value(), outcome.replayed());
  }

  /** Checks the plan, session and audience, stores the campaign and starts its process. */
  private Campaign store(TenantId tenant, Draft draft, String idempotencyKey, byte[] requestHash) {
    PlanLimits limits = tenants.limits(tenant);
    if (!limits.bulkSendEnabled()) {
      throw ApiException.forbidden(
          "Bulk send is not included in the %s plan; upgrade to Starter or higher"
              .formatted(limits.displayName()));
    }
    sessions.get(tenant, SessionId.of(draft.sessionId()));
    if (!audience.groupExists(tenant, draft.customGroupId())) {
      throw ApiException.notFound("Custom group", draft.customGroupId());
    }
    long size = audience.count(draft.customGroupId(), draft.filter());
    if (size == 0) {
      throw ApiException.invalid(
          "custom group %s has no members%s; add members before sending"
              .formatted(
                  draft.customGroupId(), draft.filter().isEmpty() ? "" : " that match the filter"));
    }
    boolean needsApproval = tenants.settings(tenant).requireApproval();
    Instant now = clock.instant();
    UUID id = Ids.newId();
    Campaign campaign =
        transaction.execute(status -> {
          UUID approvalId =
              needsApproval ? requestApproval(tenant, id, draft, size).id().value() : null;
          Campaign created =
              new Campaign(
                  id,
                  tenant,
                  draft.sessionId(),
                  draft.customGroupId(),
                  draft.name(),
                  draft.messageType(),
                  draft.messageContent(),
                  draft.mediaUrl(),
                  draft.variants(),
                  draft.filter(),
                  Duration.ofSeconds(draft.delayMinSeconds()),
                  Duration.ofSeconds(draft.delayMaxSeconds()),
                  CampaignStatus.PENDING,
                  null,
                  (int) size,
                  0,
                  null,
                  false,
                  approvalId,
                  null,
                  starter.epoch(),
                  now,
                  now,
                  null,
                  null);
          campaigns.insert(created, idempotencyKey, requestHash);
          return created;
        });
    starter.startFor(campaign);
    return get(tenant, id);
  }

  Campaign get(TenantId tenant, UUID id) {
    return campaigns.find(tenant, id).orElseThrow(() -> ApiException.notFound("Bulk-send job", id));
  }

  Page<Campaign> list(TenantId tenant, CampaignStatus status, PageQuery page) {
    return Page.of(campaigns.list(tenant, status, page), campaigns.count(tenant, status), page);
  }

  Campaign pause(TenantId tenant, UUID id) {
    return change(
        tenant, id, CampaignStatus.Move.PAUSE, CampaignStatus.Move.RESUME, signals::paused);
  }

  Campaign resume(TenantId tenant, UUID id) {
    return change(
        tenant, id, CampaignStatus.Move.RESUME, CampaignStatus.Move.PAUSE, signals::resumed);
  }

  /**
   * Cancels at once: unlike pause, the queue is cancelled here too, in the same transaction, so
   * that nothing more leaves even if the engine cannot be reached right now (cancel is final).
   */
  Campaign cancel(TenantId tenant, UUID id) {
    Campaign campaign = get(tenant, id);
    boolean moved =
        Boolean.TRUE.equals(
            transaction.execute(status -> {
              campaigns.lock(id);
              boolean cancelled =
                  campaigns.move(id, CampaignStatus.Move.CANCEL, CANCELLED_BY_API, clock.instant());
              if (cancelled) {
                outbox.cancel(campaign.origin(), "campaign cancelled");
              }
              return cancelled;
            }));
    if (!moved) {
      throw CampaignStatus.Move.CANCEL.refused(id, get(tenant, id).status());
    }
    Campaign cancelled = get(tenant, id);
    try {
      signals.cancelled(cancelled);
    } catch (RuntimeException e) {
      // Its messages are cancelled already; the instance ends when the engine hears of it or
      // restarts.
    }
    if (cancelled.approvalId() != null) {
      approvals.withdraw(ApprovalId.of(cancelled.approvalId()), CANCELLED_BY_API);
    }
    return cancelled;
  }

  /** Moves the campaign and signals its instance; undoes the move if the engine cannot be told. */
  private Campaign change(
      TenantId tenant,
      UUID id,
      CampaignStatus.Move move,
      CampaignStatus.Move undo,
      Consumer<Campaign> signal) {
    Campaign before = get(tenant, id);
    boolean moved =
        Boolean.TRUE.equals(
            transaction.execute(status -> {
              campaigns.lock(id);
              return campaigns.move(id, move, null, clock.instant());
            }));
    if (!moved) {
      throw move.refused(id, get(tenant, id).status());
    }
    Campaign changed = get(tenant, id);
    try {
      signal.accept(changed);
    } catch (RuntimeException e) {
      transaction.executeWithoutResult(
          status -> campaigns.move(id, undo, before.statusReason(), clock.instant()));
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "The workflow engine cannot be reached right now; try again");
    }
    return changed;
  }

  private Approval requestApproval(TenantId tenant, UUID campaignId, Draft draft, long size) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("name", draft.name());
    summary.put("session_id", draft.sessionId().toString());
    summary.put("custom_group_id", draft.customGroupId().toString());
    summary.put("audience_size", size);
    summary.put("message_type", draft.messageType());
    summary.put("message", draft.messageContent());
    summary.put("variants", draft.variants().size());
    summary.put(
        "distinct_texts",
        (draft.variants().size() + 1) * MessageTemplate.variety(draft.messageContent()));
    return approvals.request(
        new Approvals.ApprovalRequest(
            tenant,
            CampaignProcess.APPROVAL_KIND,
            campaignId,
            summary,
            settings.approvalTimeout()));
  }

  private Draft validated(Draft d) {
    String type = d.messageType() == null ? "text" : d.messageType();
    if (!type.equals("text") && !type.equals("media")) {
      throw ApiException.invalid(
          "message_type must be 'text' or 'media', not '%s'".formatted(type));
    }
    String content =
        d.messageContent() == null || d.messageContent().isBlank() ? null : d.messageContent();
    if (type.equals("text") && content == null) {
      throw ApiException.invalid("message_content is required for a text message");
    }
    if (content != null && content.length() > MAX_TEXT_LENGTH) {
      throw ApiException.invalid(
          "message_content is %d characters long; the limit is %d"
              .formatted(content.length(), MAX_TEXT_LENGTH));
    }
    if (type.equals("media")) {
      if (d.mediaUrl() == null || d.mediaUrl().isBlank()) {
        throw ApiException.invalid("media_url must be an http(s) URL for a media message");
      }
      // Checked now for a clear 422, and again when each message's media is downloaded.
      urls.checkField("media_url", d.mediaUrl());
    } else if (d.mediaUrl() != null) {
      throw ApiException.invalid("media_url is only for message_type 'media'");
    }
    List<String> variants = d.variants() == null ? List.of() : d.variants();
    if (variants.size() > MAX_VARIANTS) {
      throw ApiException.invalid(
          "at most %d variants, not %d".formatted(MAX_VARIANTS, variants.size()));
    }
    for (int i = 0; i < variants.size(); i++) {
      String variant = variants.get(i);
      if (variant == null || variant.isBlank() || variant.length() > MAX_TEXT_LENGTH) {
        throw ApiException.invalid(
            "variants[%d] must be a text of 1 to %d characters".formatted(i, MAX_TEXT_LENGTH));
      }
      MessageTemplate.problem(variant)
          .ifPresent(p -> {
            throw ApiException.invalid("variants[" + variants.indexOf(variant) + "]: " + p);
          });
    }
    MessageTemplate.problem(content)
        .ifPresent(p -> {
          throw ApiException.invalid("message_content: " + p);
        });
    long min = d.delayMinSeconds() == null ? settings.delayMin().toSeconds() : d.delayMinSeconds();
    long max =
        d.delayMaxSeconds() != null
            ? d.delayMaxSeconds()
            : Math.max(min, settings.delayMax().toSeconds());
    if (min < settings.minimumDelay().toSeconds()) {
      throw ApiException.invalid(
          "delay_min_seconds must be at least %d: shorter gaps get numbers banned"
              .formatted(settings.minimumDelay().toSeconds()));
    }
    if (max < min || max > settings.maximumDelay().toSeconds()) {
      throw ApiException.invalid(
          "delay_max_seconds must be between delay_min_seconds (%d) and %d"
              .formatted(min, settings.maximumDelay().toSeconds()));
    }
    String name = d.name() == null || d.name().isBlank() ? null : d.name().strip();
    if (name != null && name.length() > 255) {
      throw ApiException.invalid("name must be at most 255 characters");
    }
    if (d.sessionId() == null || d.customGroupId() == null) {
      throw ApiException.invalid("session_id and custom_group_id are required");
    }
    return new Draft(
        name,
        d.sessionId(),
        d.customGroupId(),
        type,
        content,
        d.mediaUrl(),
        List.copyOf(variants),
        d.filter() == null ? Map.of() : Map.copyOf(d.filter()),
        (int) min,
        (int) max);
  }
}
