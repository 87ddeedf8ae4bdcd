package io.flowmate.outreach.campaign;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.flowmate.core.SessionId;
import io.flowmate.messaging.Outbox;
import io.flowmate.outreach.OutreachSettings;
import io.flowmate.outreach.audience.Audience;
import io.flowmate.outreach.audience.MessageTemplate;
import io.flowmate.workflow.ForgedJob;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Plans the next page of a campaign's recipients into the outbox: one personalised message per
 * member (spin text applied), under the idempotency key {@code campaign:<id>:<member id>}, in
 * statements of 1,000. The campaign row is locked meanwhile, so a pause or cancel waits for the
 * page and then sees all of it; a page planned while the campaign is paused is queued held.
 * Planning the same page twice (a retried job, a restart) queues nothing twice. Only a running or
 * paused campaign is planned: one still pending (validating, awaiting approval) is refused.
 *
 * <p>In: {@code tenantId}, {@code campaignId}. Out: {@code allPlanned}.
 */
@Component
public class PlanCampaignBatchWorker {

  private static final int STATEMENT_ROWS = 1_000;

  private final CampaignWork work;
  private final CampaignRepository campaigns;
  private final Audience audience;
  private final Outbox outbox;
  private final OutreachSettings.Campaigns settings;
  private final TransactionTemplate transaction;
  private final Clock clock;

  PlanCampaignBatchWorker(
      CampaignWork work,
      CampaignRepository campaigns,
      Audience audience,
      Outbox outbox,
      OutreachSettings settings,
      TransactionTemplate transaction,
      Clock clock) {
    this.work = work;
    this.campaigns = campaigns;
    this.audience = audience;
    this.outbox = outbox;
    this.settings = settings.campaigns();
    this.transaction = transaction;
    this.clock = clock;
  }

  @JobWorker(type = CampaignProcess.PLAN_JOB)
  public Map<String, Object> planCampaignBatch(
      @Variable(name = CampaignProcess.TENANT_ID) String tenantId,
      @Variable(name = CampaignProcess.CAMPAIGN_ID) String campaignId) {
    UUID id = work.campaign(tenantId, campaignId).id();
    boolean allPlanned = Boolean.TRUE.equals(transaction.execute(status -> planNextPage(id)));
    return Map.of(CampaignProcess.ALL_PLANNED, allPlanned);
  }

  private boolean planNextPage(UUID id) {
    Campaign campaign = campaigns.lock(id).orElseThrow();
    if (campaign.allPlanned() || campaign.status().isFinished()) {
      return true;
    }
    if (campaign.status() == CampaignStatus.PENDING) {
      throw ForgedJob.refuse("campaign %s has not started".formatted(id));
    }
    UUID cursor = campaign.planCursor();
    int planned = 0;
    boolean exhausted = false;
    while (planned < settings.planBatch()) {
      int wanted = Math.min(STATEMENT_ROWS, settings.planBatch() - planned);
      List<Audience.Member> page =
          audience.page(campaign.customGroupId(), campaign.memberFilter(), cursor, wanted);
      if (page.isEmpty()) {
        exhausted = true;
        break;
      }
      outbox.enqueue(
          new Outbox.Batch(
              campaign.tenantId(),
              SessionId.of(campaign.sessionId()),
              campaign.origin(),
              messages(campaign, page),
              campaign.status() == CampaignStatus.PAUSED,
              false,
              campaign.sendGap()));
      planned += page.size();
      cursor = page.getLast().id();
      if (page.size() < wanted) {
        exhausted = true;
        break;
      }
    }
    campaigns.recordPlanned(id, cursor, planned, exhausted, clock.instant());
    return exhausted;
  }

  private static List<Outbox.Outgoing> messages(Campaign campaign, List<Audience.Member> members) {
    List<Outbox.Outgoing> messages = new ArrayList<>(members.size());
    for (Audience.Member member : members) {
      messages.add(
          new Outbox.Outgoing(
              member.chat(),
              content(campaign, member),
              "campaign:" + campaign.id() + ":" + member.id()));
    }
    return messages;
  }

  static Outbox.Content content(Campaign campaign, Audience.Member member) {
    long seed =
        campaign.id().getLeastSignificantBits()
            ^ member.id().getMostSignificantBits()
            ^ member.id().getLeastSignificantBits();
    String template = template(campaign, seed);
    String text =
        template == null
            ? null
            : MessageTemplate.render(
                template, seed, member.phone(), member.name(), member.fields());
    return "media".equals(campaign.messageType())
        ? Outbox.Content.media(campaign.mediaUrl(), text == null || text.isBlank() ? null : text)
        : Outbox.Content.text(text);
  }

  /** The campaign's text or one of its variants, chosen by the recipient's seed. */
  private static String template(Campaign campaign, long seed) {
    if (campaign.variants().isEmpty()) {
      return campaign.messageContent();
    }
    List<String> all = new ArrayList<>();
    if (campaign.messageContent() != null) {
      all.add(campaign.messageContent());
    }
    all.addAll(campaign.variants());
    return all.get((int) Math.floorMod(Long.rotateLeft(seed, 17), (long) all.size()));
  }
}
