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
 * {@link ResumeCampaignWorker}: releases the held queue only of a running campaign, never of one
 * still awaiting approval, paused again or finished.
 */
class ResumeCampaignWorkerTests {

  private static final TenantId TENANT = TenantId.of(UUID.randomUUID());

  private final CampaignRepository campaigns = mock(CampaignRepository.class);
  private final Outbox outbox = mock(Outbox.class);
  private final ResumeCampaignWorker worker =
      new ResumeCampaignWorker(new CampaignWork(campaigns), outbox);

  private Campaign stored(CampaignStatus status) {
    Campaign campaign = TestCampaigns.campaign(TENANT).status(status).build();
    when(campaigns.find(TENANT, campaign.id())).thenReturn(Optional.of(campaign));
    return campaign;
  }

  @Test
  void aRunningCampaignsQueueIsReleased() {
    Campaign campaign = stored(CampaignStatus.RUNNING);

    worker.resumeCampaign(TENANT.value().toString(), campaign.id().toString());

    verify(outbox).release(campaign.origin());
  }

  @ParameterizedTest
  @EnumSource(
      value = CampaignStatus.class,
      names = {"RUNNING"},
      mode = EnumSource.Mode.EXCLUDE)
  void nothingIsReleasedForACampaignThatIsNotRunning(CampaignStatus status) {
    Campaign campaign = stored(status);

    worker.resumeCampaign(TENANT.value().toString(), campaign.id().toString());

    verifyNoInteractions(outbox);
  }

  @Test
  void forgedIdsAreRefused() {
    assertRefused(() -> worker.resumeCampaign(TENANT.value().toString(), "42"))
        .contains(CampaignProcess.CAMPAIGN_ID);
    assertRefused(() -> worker.resumeCampaign(null, UUID.randomUUID().toString()))
        .contains(CampaignProcess.TENANT_ID);

    verifyNoInteractions(outbox, campaigns);
  }
}
