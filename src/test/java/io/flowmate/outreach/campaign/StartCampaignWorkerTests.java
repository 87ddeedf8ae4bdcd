package io.flowmate.outreach.campaign;

import static io.flowmate.support.WorkerAssertions.assertRefused;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.flowmate.core.TenantId;
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
import org.mockito.InOrder;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link StartCampaignWorker} without engine or database: a pending campaign starts at once, or
 * once its own approval is approved, with the approver's edited text in place; a campaign that
 * already moved on is left alone, and one whose approval is not approved is refused.
 */
class StartCampaignWorkerTests {

  private static final Instant NOW = Instant.parse("2026-03-03T08:00:00Z");
  private static final TenantId TENANT = TenantId.of(UUID.randomUUID());

  private final CampaignRepository campaigns = mock(CampaignRepository.class);
  private final Approvals approvals = mock(Approvals.class);
  private final PlatformTransactionManager transactions = mock(PlatformTransactionManager.class);
  private final StartCampaignWorker worker =
      new StartCampaignWorker(
          new CampaignWork(campaigns),
          campaigns,
          approvals,
          new TransactionTemplate(transactions),
          Clock.fixed(NOW, ZoneOffset.UTC));

  private Campaign stored(Campaign campaign) {
    when(campaigns.find(TENANT, campaign.id())).thenReturn(Optional.of(campaign));
    return campaign;
  }

  private Campaign awaitingApproval(ApprovalStatus status, String editedText) {
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
                editedText,
                null));
    return campaign;
  }

  private void start(Campaign campaign) {
    worker.startCampaign(TENANT.value().toString(), campaign.id().toString());
  }

  @Test
  void aCampaignWithoutApprovalStartsInOneTransaction() {
    Campaign campaign = stored(TestCampaigns.campaign(TENANT).build());
    when(campaigns.move(campaign.id(), CampaignStatus.Move.START, null, NOW)).thenReturn(true);

    start(campaign);

    InOrder order = inOrder(transactions, campaigns);
    order.verify(transactions).getTransaction(any());
    order.verify(campaigns).move(campaign.id(), CampaignStatus.Move.START, null, NOW);
    order.verify(transactions).commit(any());
    verify(campaigns, never()).replaceContent(any(), any(), any());
    verifyNoInteractions(approvals);
  }

  @Test
  void anApprovedEditReplacesTheText() {
    Campaign campaign = awaitingApproval(ApprovalStatus.APPROVED, "Spring sale: 20 % off today");
    when(campaigns.move(campaign.id(), CampaignStatus.Move.START, null, NOW)).thenReturn(true);

    start(campaign);

    verify(campaigns).replaceContent(campaign.id(), "Spring sale: 20 % off today", NOW);
  }

  @Test
  void anApprovalWithoutEditKeepsTheText() {
    Campaign campaign = awaitingApproval(ApprovalStatus.APPROVED, null);
    when(campaigns.move(campaign.id(), CampaignStatus.Move.START, null, NOW)).thenReturn(true);

    start(campaign);

    verify(campaigns).move(campaign.id(), CampaignStatus.Move.START, null, NOW);
    verify(campaigns, never()).replaceContent(any(), any(), any());
  }

  @Test
  void theEditIsNotAppliedWhenTheStartLostARace() {
    // Cancelled through the API between loading and moving: move refuses, the text stays.
    Campaign campaign = awaitingApproval(ApprovalStatus.APPROVED, "edited");
    when(campaigns.move(campaign.id(), CampaignStatus.Move.START, null, NOW)).thenReturn(false);

    start(campaign);

    verify(campaigns, never()).replaceContent(any(), any(), any());
  }

  @ParameterizedTest
  @EnumSource(
      value = CampaignStatus.class,
      names = {"PENDING"},
      mode = EnumSource.Mode.EXCLUDE)
  void aCampaignThatMovedOnIsLeftAlone(CampaignStatus status) {
    Campaign campaign =
        stored(TestCampaigns.campaign(TENANT).status(status).approvalId(UUID.randomUUID()).build());

    start(campaign);

    verify(campaigns, never()).move(any(), any(), any(), any());
    verifyNoInteractions(approvals, transactions);
  }

  @ParameterizedTest
  @EnumSource(
      value = ApprovalStatus.class,
      names = {"PENDING", "REJECTED", "EXPIRED"})
  void aCampaignWhoseApprovalIsNotApprovedIsRefused(ApprovalStatus status) {
    Campaign campaign = awaitingApproval(status, "edited");

    assertRefused(() -> start(campaign)).contains("waits for approval", status.value());

    verify(campaigns, never()).move(any(), any(), any(), any());
    verify(campaigns, never()).replaceContent(any(), any(), any());
  }
}
