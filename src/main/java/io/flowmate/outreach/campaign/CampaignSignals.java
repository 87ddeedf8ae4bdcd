package io.flowmate.outreach.campaign;

import io.flowmate.workflow.Processes;
import java.time.Duration;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Tells a campaign's process instance what happened outside it: paused, resumed or cancelled
 * through the API, or all its messages settled. Each message is keyed by the campaign id and
 * buffered briefly, so a resume that arrives while the instance is still holding the queue is not
 * lost; its id carries the campaign's state change, so a retried signal is correlated once.
 */
@Component
class CampaignSignals {

  /**
   * Long enough to bridge the few milliseconds until the instance listens; short enough not to
   * surprise a later pause with a stale resume.
   */
  static final Duration BUFFER = Duration.ofMinutes(1);

  private final Processes processes;

  CampaignSignals(Processes processes) {
    this.processes = processes;
  }

  void paused(Campaign campaign) {
    publish(CampaignProcess.PAUSED_MESSAGE, campaign);
  }

  void resumed(Campaign campaign) {
    publish(CampaignProcess.RESUMED_MESSAGE, campaign);
  }

  void cancelled(Campaign campaign) {
    publish(CampaignProcess.CANCELLED_MESSAGE, campaign);
  }

  void settled(Campaign campaign) {
    publish(CampaignProcess.SETTLED_MESSAGE, campaign);
  }

  private void publish(String message, Campaign campaign) {
    String key = campaign.id().toString();
    processes.publishMessage(
        message,
        key,
        Map.of(),
        BUFFER,
        message + ":" + key + ":" + campaign.updatedAt().toEpochMilli());
  }
}
