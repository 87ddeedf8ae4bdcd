package io.flowmate.outreach.campaign;

import static io.flowmate.support.WorkerAssertions.assertRefused;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.flowmate.core.TenantId;
import io.flowmate.messaging.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link CompleteCampaignWorker} without engine or database: a campaign completes only when every
 * recipient was planned and nothing of it waits in the outbox; a finished one is left as it is.
 */
class CompleteCampaignWorkerTests {

  private static final Instant NOW = Instant.parse("2026-03-05T12:00:00Z");
  private static final TenantId TENANT = TenantId.of(UUID.randomUUID());

  private final CampaignRepository campaigns = mock(CampaignRepository.class);
  private final Outbox outbox = mock(Outbox.class);
  private final CompleteCampaignWorker worker =
      new CompleteCampaignWorker(
          new CampaignWork(campaigns), campaigns, outbox, Clock.fixed(NOW, ZoneOffset.UTC));

  private Campaign stored(CampaignStatus status, boolean allPlanned) {
    Campaign campaign =
        TestCampaigns.campaign(TENANT)
            .status(status)
            .planned(10, UUID.randomUUID(), allPlanned)
            .build();
    when(campaigns.find(TENANT, campaign.id())).thenReturn(Optional.of(campaign));
    return campaign;
  }

  private void complete(Campaign campaign) {
    worker.completeCampaign(TENANT.value().toString(), campaign.id().toString());
  }

  @ParameterizedTest
  @EnumSource(
      value = CampaignStatus.class,
      names = {"RUNNING", "PAUSED"})
  void aFullyPlannedCampaignWithNothingWaitingCompletes(CampaignStatus status) {
    Campaign campaign = stored(status, true);
    when(outbox.hasWaiting(campaign.origin())).thenReturn(false);

    complete(campaign);

    verify(campaigns).move(campaign.id(), CampaignStatus.Move.COMPLETE, null, NOW);
  }

  @ParameterizedTest
  @EnumSource(
      value = CampaignStatus.class,
      names = {"COMPLETED", "CANCELLED", "FAILED"})
  void aFinishedCampaignIsLeftAsItIs(CampaignStatus status) {
    Campaign campaign = stored(status, false);

    complete(campaign);

    verify(campaigns, never()).move(any(), any(), any(), any());
    verifyNoInteractions(outbox);
  }

  @Test
  void aCampaignWithMessagesStillWaitingIsRefused() {
    Campaign campaign = stored(CampaignStatus.RUNNING, true);
    when(outbox.hasWaiting(campaign.origin())).thenReturn(true);

    assertRefused(() -> complete(campaign)).contains("still to send");

    verify(campaigns, never()).move(any(), any(), any(), any());
  }

  @Test
  void aCampaignNotFullyPlannedIsRefused() {
    Campaign campaign = stored(CampaignStatus.RUNNING, false);

    assertRefused(() -> complete(campaign)).contains(campaign.id().toString());

    verify(campaigns, never()).move(any(), any(), any(), any());
  }

  @Test
  void aCampaignThatNeverStartedIsRefused() {
    Campaign campaign = stored(CampaignStatus.PENDING, true);

    assertRefused(() -> complete(campaign));

    verify(campaigns, never()).move(any(), any(), any(), any());
  }
}
