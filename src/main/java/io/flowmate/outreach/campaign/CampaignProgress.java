package io.flowmate.outreach.campaign;

import io.flowmate.core.TenantId;
import io.flowmate.core.security.Caller;
import io.flowmate.core.sse.LiveEvents;
import io.flowmate.core.sse.LiveEvents.LiveEvent;
import io.flowmate.messaging.Outbox;
import io.flowmate.workflow.EngineReady;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * How far campaigns are, from their messages in the outbox (the truth, never a counter that could
 * drift): for the API, for live progress streams, and to tell a campaign's process when all its
 * messages have settled. One periodic pass serves them all, so a thousand watchers of a campaign
 * cost one count per pass, and a campaign nobody watches costs one existence check.
 */
@Component
public class CampaignProgress {

  private static final Logger log = LoggerFactory.getLogger(CampaignProgress.class);
  private static final Duration STREAM_TIMEOUT = Duration.ofHours(6);
  private static final String PROGRESS = "bulk-send.progress";
  private static final String JOB_ID = "job_id";

  private final CampaignRepository campaigns;
  private final Outbox outbox;
  private final CampaignSignals signals;

  /** The campaigns someone streams, with their tenants. */
  private final Map<UUID, TenantId> watched = new ConcurrentHashMap<>();

  private final Map<UUID, Map<String, Object>> lastSent = new ConcurrentHashMap<>();

  /** When each campaign's settled signal went out: sent again once its buffer time is over. */
  private final Map<UUID, Instant> settledSignalled = new ConcurrentHashMap<>();

  private final LiveEvents live;
  private final Clock clock;

  CampaignProgress(
      CampaignRepository campaigns,
      Outbox outbox,
      CampaignSignals signals,
      LiveEvents live,
      Clock clock) {
    this.campaigns = campaigns;
    this.outbox = outbox;
    this.signals = signals;
    this.live = live;
    this.clock = clock;
  }

  /**
   * The campaign's progress in MoltFlow's shape ({@code sent}, {@code total}, {@code failed},
   * {@code status}) plus the rest of the funnel. {@code sent} counts every message that left (sent,
   * delivered, read or played).
   */
  public Map<String, Object> of(Campaign campaign) {
    return of(campaign, outbox.countByStatus(campaign.origin()));
  }

  /** The progress of a page of campaigns by campaign id, their messages counted with one query. */
  Map<UUID, Map<String, Object>> of(List<Campaign> campaigns) {
    Map<Outbox.Origin, Map<String, Long>> counts =
        outbox.countByStatus(campaigns.stream().map(Campaign::origin).toList());
    Map<UUID, Map<String, Object>> progress = new LinkedHashMap<>();
    campaigns.forEach(c -> progress.put(c.id(), of(c, counts.get(c.origin()))));
    return progress;
  }

  private static Map<String, Object> of(Campaign campaign, Map<String, Long> counts) {
    long left =
        count(counts, "sent")
            + count(counts, "delivered")
            + count(counts, "read")
            + count(counts, "played");
    // Members added to the group after validation are planned too: the total grows with them.
    long total = Math.max(campaign.totalRecipients(), campaign.plannedCount());
    long failed = count(counts, "failed");
    long cancelled = count(counts, "cancelled");
    Map<String, Object> progress = new LinkedHashMap<>();
    progress.put("sent", left);
    progress.put("total", total);
    progress.put("failed", failed);
    progress.put("status", campaign.status().value());
    progress.put(
        "pending",
        campaign.status().isFinished() ? 0 : Math.max(0, total - left - failed - cancelled));
    progress.put(
        "delivered", count(counts, "delivered") + count(counts, "read") + count(counts, "played"));
    progress.put("read", count(counts, "read") + count(counts, "played"));
    progress.put("cancelled", count(counts, "cancelled"));
    progress.put("planned", campaign.plannedCount());
    return progress;
  }

  /** A stream of progress events: the current state at once, then one per change, until the end. */
  SseEmitter stream(Caller caller, Campaign campaign) {
    Map<String, Object> now = of(campaign);
    UUID id = campaign.id();
    SseEmitter emitter =
        live.subscribe(
            caller,
            event -> PROGRESS.equals(event.name()) && id.equals(event.data().get(JOB_ID)),
            STREAM_TIMEOUT,
            List.of(event(id, now)),
            campaign.status().isFinished());
    if (!campaign.status().isFinished()) {
      watched.put(id, campaign.tenantId());
      lastSent.putIfAbsent(id, now);
    }
    return emitter;
  }

  private static LiveEvent event(UUID campaign, Map<String, Object> progress) {
    Map<String, Object> data = new LinkedHashMap<>(progress);
    data.put(JOB_ID, campaign);
    return new LiveEvent(PROGRESS, null, data);
  }

  @Scheduled(fixedDelayString = "${flowmate.outreach.campaigns.progress-interval:500ms}")
  void pass() {
    signalSettled();
    publishProgress();
  }

  /** Tells the process of each running, fully planned campaign with nothing left waiting. */
  private void signalSettled() {
    List<Campaign> candidates = campaigns.runningFullyPlanned();
    settledSignalled.keySet().retainAll(candidates.stream().map(Campaign::id).toList());
    Instant now = clock.instant();
    for (Campaign campaign : candidates) {
      Instant signalled = settledSignalled.get(campaign.id());
      boolean due = signalled == null || signalled.plus(CampaignSignals.BUFFER).isBefore(now);
      if (due && !outbox.hasWaiting(campaign.origin())) {
        try {
          signals.settled(campaign);
          settledSignalled.put(campaign.id(), now);
        } catch (RuntimeException e) {
          log.debug(
              "Campaign {}: settled signal not delivered now ({}); trying again",
              campaign.id(),
              e.getMessage());
        }
      }
    }
  }

  /**
   * Sends each watched campaign's progress when it changed, through {@link LiveEvents}: every
   * stream has its own sender, so a client that stops reading never holds up this pass.
   */
  private void publishProgress() {
    for (Map.Entry<UUID, TenantId> entry : watched.entrySet()) {
      UUID id = entry.getKey();
      TenantId tenant = entry.getValue();
      if (!live.isWatched(tenant, event(id, Map.of()))) {
        watched.remove(id);
        lastSent.remove(id);
        continue;
      }
      campaigns
          .findById(id)
          .ifPresent(campaign -> {
            Map<String, Object> now = of(campaign);
            if (!now.equals(lastSent.get(id))) {
              lastSent.put(id, now);
              live.publishHere(tenant, null, PROGRESS, event(id, now).data());
            }
            if (campaign.status().isFinished()) {
              live.end(tenant, event(id, now));
              watched.remove(id);
              lastSent.remove(id);
            }
          });
    }
  }

  /** The engine lost its instances: buffered "settled" signals went with them. */
  @EventListener
  void onEngineReady(EngineReady ready) {
    settledSignalled.clear();
  }

  private static long count(Map<String, Long> counts, String status) {
    return counts.getOrDefault(status, 0L);
  }
}
