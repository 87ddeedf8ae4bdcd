package io.flowmate.outreach;

import io.flowmate.messaging.Outbox;
import io.flowmate.workflow.EngineReady;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
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
class CampaignProgress {

  private static final Logger log = LoggerFactory.getLogger(CampaignProgress.class);
  private static final Duration STREAM_TIMEOUT = Duration.ofHours(6);

  private final CampaignRepository campaigns;
  private final Outbox outbox;
  private final CampaignSignals signals;
  private final Map<UUID, List<SseEmitter>> streams = new ConcurrentHashMap<>();
  private final Map<UUID, Map<String, Object>> lastSent = new ConcurrentHashMap<>();
  /** When each campaign's settled signal went out: sent again once its buffer time is over. */
  private final Map<UUID, Instant> settledSignalled = new ConcurrentHashMap<>();
  private final Clock clock;

  CampaignProgress(CampaignRepository campaigns, Outbox outbox, CampaignSignals signals, Clock clock) {
    this.campaigns = campaigns;
    this.outbox = outbox;
    this.signals = signals;
    this.clock = clock;
  }

  /**
   * The campaign's progress in MoltFlow's shape ({@code sent}, {@code total}, {@code failed},
   * {@code status}) plus the rest of the funnel. {@code sent} counts every message that left
   * (sent, delivered, read or played).
   */
  Map<String, Object> of(Campaign campaign) {
    return of(campaign, outbox.countByStatus(campaign.origin()));
  }

  /** The progress of a page of campaigns by campaign id, their messages counted with one query. */
  Map<UUID, Map<String, Object>> of(List<Campaign> campaigns) {
    Map<Outbox.Origin, Map<String, Long>> counts = outbox.countByStatus(campaigns.stream().map(Campaign::origin).toList());
    Map<UUID, Map<String, Object>> progress = new LinkedHashMap<>();
    campaigns.forEach(c -> progress.put(c.id(), of(c, counts.get(c.origin()))));
    return progress;
  }

  private static Map<String, Object> of(Campaign campaign, Map<String, Long> counts) {
    long left = count(counts, "sent") + count(counts, "delivered") + count(counts, "read") + count(counts, "played");
    // Members added to the group after validation are planned too: the total grows with them.
    long total = Math.max(campaign.totalRecipients(), campaign.plannedCount());
    long failed = count(counts, "failed");
    long cancelled = count(counts, "cancelled");
    Map<String, Object> progress = new LinkedHashMap<>();
    progress.put("sent", left);
    progress.put("total", total);
    progress.put("failed", failed);
    progress.put("status", campaign.status().value());
    progress.put("pending", campaign.status().isFinished() ? 0 : Math.max(0, total - left - failed - cancelled));
    progress.put("delivered", count(counts, "delivered") + count(counts, "read") + count(counts, "played"));
    progress.put("read", count(counts, "read") + count(counts, "played"));
    progress.put("cancelled", count(counts, "cancelled"));
    progress.put("planned", campaign.plannedCount());
    return progress;
  }

  /** A stream of progress events: the current state at once, then one per change, until the end. */
  SseEmitter stream(Campaign campaign) {
    SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
    Map<String, Object> now = of(campaign);
    try {
      emitter.send(SseEmitter.event().data(now, MediaType.APPLICATION_JSON));
    } catch (IOException e) {
      emitter.completeWithError(e);
      return emitter;
    }
    if (campaign.status().isFinished()) {
      emitter.complete();
      return emitter;
    }
    List<SseEmitter> list = streams.computeIfAbsent(campaign.id(), id -> new CopyOnWriteArrayList<>());
    list.add(emitter);
    lastSent.putIfAbsent(campaign.id(), now);
    Runnable remove = () -> list.remove(emitter);
    emitter.onCompletion(remove);
    emitter.onTimeout(remove);
    emitter.onError(error -> remove.run());
    return emitter;
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
          log.debug("Campaign {}: settled signal not delivered now ({}); trying again", campaign.id(), e.getMessage());
        }
      }
    }
  }

  private void publishProgress() {
    for (Map.Entry<UUID, List<SseEmitter>> entry : streams.entrySet()) {
      UUID id = entry.getKey();
      List<SseEmitter> emitters = entry.getValue();
      if (emitters.isEmpty()) {
        streams.remove(id);
        lastSent.remove(id);
        continue;
      }
      campaigns.findById(id).ifPresent(campaign -> {
        Map<String, Object> now = of(campaign);
        if (!now.equals(lastSent.get(id))) {
          lastSent.put(id, now);
          for (SseEmitter emitter : emitters) {
            try {
              emitter.send(SseEmitter.event().data(now, MediaType.APPLICATION_JSON));
            } catch (IOException | IllegalStateException e) {
              emitters.remove(emitter);
            }
          }
        }
        if (campaign.status().isFinished()) {
          emitters.forEach(SseEmitter::complete);
          streams.remove(id);
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
