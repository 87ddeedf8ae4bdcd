package io.flowmate.outreach.campaign;

import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.flowmate.messaging.Outbox;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * MoltFlow-compatible bulk send: paced campaigns to a custom group, run by {@code
 * outreach-campaign}.
 */
@RestController
@RequestMapping("/api/v2/bulk-send")
@Tag(name = "Bulk send", description = "Paced campaigns to the members of a custom group")
class CampaignController {

  private static final int RECIPIENTS_IN_DETAIL = 50;

  private final CampaignService campaigns;
  private final CampaignProgress progress;
  private final Outbox outbox;

  CampaignController(CampaignService campaigns, CampaignProgress progress, Outbox outbox) {
    this.campaigns = campaigns;
    this.progress = progress;
    this.outbox = outbox;
  }

  record JobView(
      UUID id,
      String name,
      UUID sessionId,
      UUID customGroupId,
      String status,
      String statusReason,
      String messageType,
      String messageContent,
      String mediaUrl,
      List<String> variants,
      Map<String, String> filter,
      long delayMinSeconds,
      long delayMaxSeconds,
      long totalRecipients,
      long sentCount,
      long failedCount,
      long pendingCount,
      long deliveredCount,
      long readCount,
      long cancelledCount,
      int plannedCount,
      UUID approvalId,
      Long processInstanceKey,
      Instant createdAt,
      Instant startedAt,
      Instant completedAt,
      List<Outbox.OriginMessage> recipients) {}

  @PostMapping
  @RequiresScope(Scopes.BULK_SEND_MANAGE)
  @Operation(
      summary = "Create a bulk-send job to a custom group",
      description =
          "Personalisation: {name}, {first_name}, {phone}, {<custom field>}. Spin text: {Hi|Hello|Hey}."
              + " Messages go at the number's send-governor pace plus a random delay between"
              + " delay_min_seconds and delay_max_seconds (default 30–120). With require_approval the"
              + " job stays pending until approved. Status codes: 201 created, 200 replayed"
              + " (same Idempotency-Key and body).")
  ResponseEntity<JobView> create(
      Caller caller,
      @RequestBody CampaignService.Draft request,
      @Parameter(
              description = "Repeat the request safely: the same key and body return the first job")
          @RequestHeader(name = "Idempotency-Key", required = false)
          String idempotencyKey) {
    CampaignService.Accepted accepted =
        campaigns.create(
            caller.tenantId(),
            request,
            idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey.strip());
    return ResponseEntity.status(accepted.replayed() ? HttpStatus.OK : HttpStatus.CREATED)
        .body(view(accepted.campaign(), List.of()));
  }

  @GetMapping
  @RequiresScope(Scopes.BULK_SEND_READ)
  @Operation(summary = "List bulk-send jobs, newest first")
  Page<JobView> list(
      Caller caller,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    Page<Campaign> page =
        campaigns.list(
            caller.tenantId(),
            status == null ? null : CampaignStatus.parse(status),
            PageQuery.of(limit, offset));
    Map<UUID, Map<String, Object>> progressOf = progress.of(page.items());
    return page.map(c -> view(c, progressOf.get(c.id()), List.of()));
  }

  @GetMapping("/{id}")
  @RequiresScope(Scopes.BULK_SEND_READ)
  @Operation(summary = "A job with its counts and its first recipients (all of them: /recipients)")
  JobView get(Caller caller, @PathVariable UUID id) {
    Campaign campaign = campaigns.get(caller.tenantId(), id);
    return view(campaign, outbox.messagesOf(campaign.origin(), null, RECIPIENTS_IN_DETAIL, 0));
  }

  @GetMapping("/{id}/recipients")
  @RequiresScope(Scopes.BULK_SEND_READ)
  @Operation(
      summary =
          "Per-recipient status, in planning order; filter by status (queued, sent, failed, ...)")
  Page<Outbox.OriginMessage> recipients(
      Caller caller,
      @PathVariable UUID id,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    Campaign campaign = campaigns.get(caller.tenantId(), id);
    PageQuery page = PageQuery.of(limit, offset);
    List<Outbox.OriginMessage> rows =
        outbox.messagesOf(campaign.origin(), status, page.limit(), page.offset());
    long total =
        status == null
            ? outbox.countByStatus(campaign.origin()).values().stream()
                .mapToLong(Long::longValue)
                .sum()
            : outbox.countByStatus(campaign.origin()).getOrDefault(status, 0L);
    return Page.of(rows, total, page);
  }

  @GetMapping(path = "/{id}/progress", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @RequiresScope(Scopes.BULK_SEND_READ)
  @Operation(
      summary =
          "Live progress (SSE): data: {\"sent\":N,\"total\":N,\"failed\":N,\"status\":\"running\",...}",
      description =
          "One event at once, then one per change, until the job ends. Browsers' EventSource cannot"
              + " send headers: pass a single-use ticket from POST /api/v2/stream-ticket as ?ticket=.")
  SseEmitter progress(Caller caller, @PathVariable UUID id) {
    return progress.stream(caller, campaigns.get(caller.tenantId(), id));
  }

  @PostMapping("/{id}/pause")
  @RequiresScope(Scopes.BULK_SEND_MANAGE)
  @Operation(summary = "Pause a running job: its queued messages are held at once")
  JobView pause(Caller caller, @PathVariable UUID id) {
    return view(campaigns.pause(caller.tenantId(), id), List.of());
  }

  @PostMapping("/{id}/resume")
  @RequiresScope(Scopes.BULK_SEND_MANAGE)
  @Operation(summary = "Resume a paused job")
  JobView resume(Caller caller, @PathVariable UUID id) {
    return view(campaigns.resume(caller.tenantId(), id), List.of());
  }

  @PostMapping("/{id}/cancel")
  @RequiresScope(Scopes.BULK_SEND_MANAGE)
  @Operation(summary = "Cancel a job: every message that has not left is cancelled")
  JobView cancel(Caller caller, @PathVariable UUID id) {
    return view(campaigns.cancel(caller.tenantId(), id), List.of());
  }

  private JobView view(Campaign c, List<Outbox.OriginMessage> recipients) {
    return view(c, progress.of(c), recipients);
  }

  private JobView view(Campaign c, Map<String, Object> p, List<Outbox.OriginMessage> recipients) {
    return new JobView(
        c.id(),
        c.name(),
        c.sessionId(),
        c.customGroupId(),
        c.status().value(),
        c.statusReason(),
        c.messageType(),
        c.messageContent(),
        c.mediaUrl(),
        c.variants(),
        c.memberFilter(),
        c.delayMin().toSeconds(),
        c.delayMax().toSeconds(),
        (long) p.get("total"),
        (long) p.get("sent"),
        (long) p.get("failed"),
        (long) p.get("pending"),
        (long) p.get("delivered"),
        (long) p.get("read"),
        (long) p.get("cancelled"),
        c.plannedCount(),
        c.approvalId(),
        c.processInstanceKey(),
        c.createdAt(),
        c.startedAt(),
        c.finishedAt(),
        recipients);
  }
}
