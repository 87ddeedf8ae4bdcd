package io.flowmate.outreach.campaign;

import static io.flowmate.support.WorkerAssertions.assertRefused;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.flowmate.core.TenantId;
import io.flowmate.messaging.Outbox;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link PauseCampaignWorker}: holds the campaign's queue only while the campaign is paused, so a
 * pause message that arrives after a resume (or for a campaign that ended) holds nothing.
 */
class PauseCampaignWorkerTests {

  private static final TenantId TENANT = TenantId.of(UUID.randomUUID());

  private final CampaignRepository campaigns = mock(CampaignRepository.class);
  private final Outbox outbox = mock(Outbox.class);
  private final PauseCampaignWorker worker =
      new PauseCampaignWorker(new CampaignWork(campaigns), outbox);

  private Campaign stored(CampaignStatus status) {
    Campaign campaign = TestCampaigns.campaign(TENANT).status(status).build();
    when(campaigns.find(TENANT, campaign.id())).thenReturn(Optional.of(campaign));
    return campaign;
  }

  @Test
  void aPausedCampaignsQueueIsHeld() {
    Campaign campaign = stored(CampaignStatus.PAUSED);

    worker.pauseCampaign(TENANT.value().toString(), campaign.id().toString());

    verify(outbox).hold(campaign.origin());
  }

  @ParameterizedTest
  @EnumSource(
      value = CampaignStatus.class,
      names = {"PAUSED"},
      mode = EnumSource.Mode.EXCLUDE)
  void aCampaignNotPausedKeepsSending(CampaignStatus status) {
    Campaign campaign = stored(status);

    worker.pauseCampaign(TENANT.value().toString(), campaign.id().toString());

    verifyNoInteractions(outbox);
  }

  @Test
  void aCampaignOfAnotherTenantIsRefused() {
    UUID id = UUID.randomUUID();
    when(campaigns.find(TENANT, id)).thenReturn(Optional.empty());

    assertRefused(() -> worker.pauseCampaign(TENANT.value().toString(), id.toString()))
        .contains(id.toString());

    verifyNoInteractions(outbox);
  }
}
