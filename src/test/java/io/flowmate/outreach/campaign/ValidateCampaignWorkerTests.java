package io.flowmate.outreach.campaign;

import static io.flowmate.support.WorkerAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.gateway.SessionInfo;
import io.flowmate.gateway.SessionStatus;
import io.flowmate.gateway.Sessions;
import io.flowmate.outreach.audience.Audience;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@link ValidateCampaignWorker} without engine or database: a campaign whose session or group went
 * away, or whose audience is empty, fails with a reason a person reads; a valid one records its
 * audience size. The answer goes to the process as {@code campaignValid} and {@code audienceSize}.
 */
class ValidateCampaignWorkerTests {

  private static final Instant NOW = Instant.parse("2026-03-02T09:00:05Z");
  private static final TenantId TENANT = TenantId.of(UUID.randomUUID());

  private final CampaignRepository campaigns = mock(CampaignRepository.class);
  private final Audience audience = mock(Audience.class);
  private final Sessions sessions = mock(Sessions.class);
  private final ValidateCampaignWorker worker =
      new ValidateCampaignWorker(
          new CampaignWork(campaigns),
          campaigns,
          audience,
          sessions,
          Clock.fixed(NOW, ZoneOffset.UTC));

  private Campaign stored(Campaign campaign) {
    when(campaigns.find(TENANT, campaign.id())).thenReturn(Optional.of(campaign));
    return campaign;
  }

  private void sessionExists(Campaign campaign) {
    when(sessions.find(TENANT, SessionId.of(campaign.sessionId())))
        .thenReturn(
            Optional.of(
                new SessionInfo(
                    SessionId.of(campaign.sessionId()),
                    TENANT,
                    "shop",
                    SessionStatus.WORKING,
                    "4915100000009",
                    false,
                    NOW,
                    NOW)));
  }

  private Map<String, Object> validate(Campaign campaign) {
    return worker.validateCampaign(TENANT.value().toString(), campaign.id().toString());
  }

  private void failedWith(Campaign campaign, String reason) {
    verify(campaigns)
        .move(campaign.id(), CampaignStatus.Move.FAIL, "campaign cannot run: " + reason, NOW);
    verify(campaigns, never()).recordAudience(any(), anyInt(), any());
  }

  @Test
  void aValidCampaignRecordsItsAudience() {
    Campaign campaign = stored(TestCampaigns.campaign(TENANT).build());
    sessionExists(campaign);
    when(audience.groupExists(TENANT, campaign.customGroupId())).thenReturn(true);
    when(audience.count(campaign.customGroupId(), Map.of())).thenReturn(42L);

    assertThat(validate(campaign))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(CampaignProcess.VALID, true, CampaignProcess.AUDIENCE_SIZE, 42L));
    verify(campaigns).recordAudience(campaign.id(), 42, NOW);
    verify(campaigns, never()).move(any(), any(), any(), any());
  }

  @Test
  void aCampaignCancelledMeanwhileIsCountedButNotValid() {
    Campaign campaign =
        stored(TestCampaigns.campaign(TENANT).status(CampaignStatus.CANCELLED).build());
    sessionExists(campaign);
    when(audience.groupExists(TENANT, campaign.customGroupId())).thenReturn(true);
    when(audience.count(campaign.customGroupId(), Map.of())).thenReturn(3L);

    assertThat(validate(campaign)).containsEntry(CampaignProcess.VALID, false);
    verify(campaigns).recordAudience(campaign.id(), 3, NOW);
  }

  @Test
  void aDeletedSessionFailsTheCampaign() {
    Campaign campaign = stored(TestCampaigns.campaign(TENANT).build());
    when(sessions.find(TENANT, SessionId.of(campaign.sessionId()))).thenReturn(Optional.empty());

    assertThat(validate(campaign))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(CampaignProcess.VALID, false, CampaignProcess.AUDIENCE_SIZE, 0L));
    failedWith(campaign, "its session was deleted");
    verifyNoInteractions(audience);
  }

  @Test
  void aDeletedGroupFailsTheCampaign() {
    Campaign campaign = stored(TestCampaigns.campaign(TENANT).build());
    sessionExists(campaign);
    when(audience.groupExists(TENANT, campaign.customGroupId())).thenReturn(false);

    assertThat(validate(campaign)).containsEntry(CampaignProcess.VALID, false);
    failedWith(campaign, "its custom group was deleted");
  }

  @Test
  void anEmptyGroupFailsTheCampaign() {
    Campaign campaign = stored(TestCampaigns.campaign(TENANT).build());
    sessionExists(campaign);
    when(audience.groupExists(TENANT, campaign.customGroupId())).thenReturn(true);
    when(audience.count(campaign.customGroupId(), Map.of())).thenReturn(0L);

    assertThat(validate(campaign)).containsEntry(CampaignProcess.VALID, false);
    failedWith(campaign, "its custom group has no members");
  }

  @Test
  void aFilterNobodyMatchesSaysSo() {
    Map<String, String> filter = Map.of("unpaid", "yes");
    Campaign campaign = stored(TestCampaigns.campaign(TENANT).memberFilter(filter).build());
    sessionExists(campaign);
    when(audience.groupExists(TENANT, campaign.customGroupId())).thenReturn(true);
    when(audience.count(campaign.customGroupId(), filter)).thenReturn(0L);

    validate(campaign);

    failedWith(campaign, "its custom group has no members that match the filter");
  }

  @Test
  void aCampaignOfAnotherTenantIsRefused() {
    UUID id = UUID.randomUUID();
    when(campaigns.find(TENANT, id)).thenReturn(Optional.empty());

    assertRefused(() -> worker.validateCampaign(TENANT.value().toString(), id.toString()));

    verifyNoInteractions(sessions, audience);
    verify(campaigns, never()).move(any(), any(), any(), any());
  }
}
