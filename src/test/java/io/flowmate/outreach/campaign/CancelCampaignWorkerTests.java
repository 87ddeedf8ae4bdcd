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
import io.flowmate.support.TestApprovals;
import io.flowmate.workflow.ApprovalStatus;
import io.flowmate.workflow.Approvals;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link CancelCampaignWorker} without engine or database: a campaign is cancelled only when the
 * API cancelled it or its own approval refused it, with the approver's reason; anything else is
 * refused and the queue is left alone.
 */
class CancelCampaignWorkerTests {

  private static final Instant NOW = Instant.parse("2026-03-05T09:00:30Z");
  private static final TenantId TENANT = TenantId.of(UUID.randomUUID());

  private final CampaignRepository campaigns = mock(CampaignRepository.class);
  private final Approvals approvals = mock(Approvals.class);
  private final Outbox outbox = mock(Outbox.class);
  private final CancelCampaignWorker worker =
      new CancelCampaignWorker(
          new CampaignWork(campaigns),
          campaigns,
          approvals,
          outbox,
          Clock.fixed(NOW, ZoneOffset.UTC));

  private Campaign stored(Campaign campaign) {
    when(campaigns.find(TENANT, campaign.id())).thenReturn(Optional.of(campaign));
    return campaign;
  }

  private Campaign awaitingApproval(ApprovalStatus status, String reason) {
    UUID approvalId = UUID.randomUUID();
    Campaign campaign = stored(TestCampaigns.campaign(TENANT).approvalId(approvalId).build());
    when(approvals.forSubject(
            TENANT, CampaignProcess.APPROVAL_KIND, campaign.id(), approvalId.toString()))
        .thenReturn(
            TestApprovals.decided(
                approvalId,
                TENANT,
                CampaignProcess.APPROVAL_KIND,
                campaign.id(),
                status,
                null,
                reason));
    return campaign;
  }

  private void cancel(Campaign campaign) {
    worker.cancelCampaign(TENANT.value().toString(), campaign.id().toString());
  }

  @Test
  void aCampaignCancelledThroughTheApiIsSettledAndItsQueueEmptied() {
    Campaign campaign =
        stored(TestCampaigns.campaign(TENANT).status(CampaignStatus.CANCELLED).build());

    cancel(campaign);

    verify(campaigns)
        .move(campaign.id(), CampaignStatus.Move.CANCEL, CampaignService.CANCELLED_BY_API, NOW);
    verify(outbox).cancel(campaign.origin(), "campaign cancelled");
    verifyNoInteractions(approvals);
  }

  @Test
  void aRejectedCampaignCarriesTheApproversReason() {
    Campaign campaign = awaitingApproval(ApprovalStatus.REJECTED, "wrong audience");

    cancel(campaign);

    verify(campaigns)
        .move(campaign.id(), CampaignStatus.Move.CANCEL, "rejected: wrong audience", NOW);
    verify(outbox).cancel(campaign.origin(), "campaign cancelled");
  }

  @Test
  void aRejectionWithoutReasonSaysSo() {
    Campaign campaign = awaitingApproval(ApprovalStatus.REJECTED, null);

    cancel(campaign);

    verify(campaigns)
        .move(campaign.id(), CampaignStatus.Move.CANCEL, "rejected: no reason given", NOW);
  }

  @Test
  void anExpiredApprovalCancelsTheCampaign() {
    Campaign campaign = awaitingApproval(ApprovalStatus.EXPIRED, null);

    cancel(campaign);

    verify(campaigns).move(campaign.id(), CampaignStatus.Move.CANCEL, "approval expired", NOW);
    verify(outbox).cancel(campaign.origin(), "campaign cancelled");
  }

  @ParameterizedTest
  @EnumSource(
      value = ApprovalStatus.class,
      names = {"PENDING", "APPROVED"})
  void aCampaignItsApprovalDidNotRefuseIsNotCancelled(ApprovalStatus status) {
    Campaign campaign = awaitingApproval(status, null);

    assertRefused(() -> cancel(campaign)).contains(campaign.id().toString(), status.value());

    verify(campaigns, never()).move(any(), any(), any(), any());
    verifyNoInteractions(outbox);
  }

  @ParameterizedTest
  @EnumSource(
      value = CampaignStatus.class,
      names = {"RUNNING", "PAUSED", "COMPLETED", "PENDING"})
  void aCampaignNobodyCancelledIsRefused(CampaignStatus status) {
    // PENDING here has no approval: nobody could have refused it.
    Campaign campaign = stored(TestCampaigns.campaign(TENANT).status(status).build());

    assertRefused(() -> cancel(campaign)).contains("was not cancelled");

    verify(campaigns, never()).move(any(), any(), any(), any());
    verifyNoInteractions(outbox, approvals);
  }

  @Test
  void aCampaignOfAnotherTenantIsRefused() {
    Campaign elsewhere = TestCampaigns.campaign(TenantId.of(UUID.randomUUID())).build();
    when(campaigns.find(TENANT, elsewhere.id())).thenReturn(Optional.empty());

    assertRefused(() -> cancel(elsewhere)).contains("does not exist");

    verify(campaigns, never()).move(any(), any(), any(), any());
    verifyNoInteractions(outbox, approvals);
  }
}
