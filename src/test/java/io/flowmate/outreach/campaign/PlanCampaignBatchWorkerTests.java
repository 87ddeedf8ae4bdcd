package io.flowmate.outreach.campaign;

import static io.flowmate.support.WorkerAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.flowmate.core.ChatId;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.messaging.Outbox;
import io.flowmate.outreach.OutreachSettings;
import io.flowmate.outreach.audience.Audience;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link PlanCampaignBatchWorker} without engine or database: one job plans at most {@code
 * plan-batch} recipients, read from the audience in statements of at most 1,000 after the stored
 * cursor, queues them personalised with one idempotency key per member, and answers {@code
 * allPlanned} once the audience is exhausted.
 */
class PlanCampaignBatchWorkerTests {

  private static final Instant NOW = Instant.parse("2026-03-03T08:00:10Z");
  private static final TenantId TENANT = TenantId.of(UUID.randomUUID());

  private final CampaignRepository campaigns = mock(CampaignRepository.class);
  private final Audience audience = mock(Audience.class);
  private final Outbox outbox = mock(Outbox.class);

  private PlanCampaignBatchWorker worker(int planBatch) {
    OutreachSettings settings =
        new Binder(
                new MapConfigurationPropertySource(
                    Map.of("flowmate.outreach.campaigns.plan-batch", String.valueOf(planBatch))))
            .bindOrCreate("flowmate.outreach", Bindable.of(OutreachSettings.class));
    return new PlanCampaignBatchWorker(
        new CampaignWork(campaigns),
        campaigns,
        audience,
        outbox,
        settings,
        new TransactionTemplate(mock(PlatformTransactionManager.class)),
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private Campaign stored(Campaign campaign) {
    when(campaigns.find(TENANT, campaign.id())).thenReturn(Optional.of(campaign));
    when(campaigns.lock(campaign.id())).thenReturn(Optional.of(campaign));
    return campaign;
  }

  private static List<Audience.Member> members(int count) {
    return IntStream.range(0, count)
        .mapToObj(i ->
            new Audience.Member(
                UUID.randomUUID(), "49151%08d".formatted(i + 1), "Member " + i, Map.of()))
        .toList();
  }

  private boolean plan(PlanCampaignBatchWorker worker, Campaign campaign) {
    Map<String, Object> variables =
        worker.planCampaignBatch(TENANT.value().toString(), campaign.id().toString());
    assertThat(variables).containsOnlyKeys(CampaignProcess.ALL_PLANNED);
    return (Boolean) variables.get(CampaignProcess.ALL_PLANNED);
  }

  @Test
  void aFullBatchIsQueuedPersonalisedAndTheCursorMoves() {
    Campaign campaign =
        stored(TestCampaigns.campaign(TENANT).status(CampaignStatus.RUNNING).build());
    List<Audience.Member> page =
        List.of(
            new Audience.Member(UUID.randomUUID(), "4915100000001", "Ana", Map.of()),
            new Audience.Member(UUID.randomUUID(), "4915100000002", "Ben", Map.of()),
            new Audience.Member(UUID.randomUUID(), "4915100000003", "Cleo", Map.of()));
    when(audience.page(campaign.customGroupId(), Map.of(), null, 3)).thenReturn(page);

    assertThat(plan(worker(3), campaign)).isFalse();

    ArgumentCaptor<Outbox.Batch> queued = ArgumentCaptor.forClass(Outbox.Batch.class);
    verify(outbox).enqueue(queued.capture());
    Outbox.Batch batch = queued.getValue();
    assertThat(batch.tenant()).isEqualTo(TENANT);
    assertThat(batch.sessionId()).isEqualTo(SessionId.of(campaign.sessionId()));
    assertThat(batch.origin()).isEqualTo(campaign.origin());
    assertThat(batch.held()).isFalse();
    assertThat(batch.repeatable()).isFalse();
    assertThat(batch.gap()).isEqualTo(campaign.sendGap());
    assertThat(batch.messages())
        .containsExactly(
            new Outbox.Outgoing(
                ChatId.parse("4915100000001"),
                Outbox.Content.text("Hello Ana"),
                "campaign:" + campaign.id() + ":" + page.get(0).id()),
            new Outbox.Outgoing(
                ChatId.parse("4915100000002"),
                Outbox.Content.text("Hello Ben"),
                "campaign:" + campaign.id() + ":" + page.get(1).id()),
            new Outbox.Outgoing(
                ChatId.parse("4915100000003"),
                Outbox.Content.text("Hello Cleo"),
                "campaign:" + campaign.id() + ":" + page.get(2).id()));
    verify(campaigns).recordPlanned(campaign.id(), page.get(2).id(), 3, false, NOW);
  }

  @Test
  void aBatchLargerThanOneStatementReadsOnAfterTheCursorUntilTheAudienceEnds() {
    UUID storedCursor = UUID.randomUUID();
    Campaign campaign =
        stored(
            TestCampaigns.campaign(TENANT)
                .status(CampaignStatus.RUNNING)
                .planned(400, storedCursor, false)
                .build());
    List<Audience.Member> first = members(1_000);
    List<Audience.Member> second = members(200);
    when(audience.page(campaign.customGroupId(), Map.of(), storedCursor, 1_000)).thenReturn(first);
    when(audience.page(campaign.customGroupId(), Map.of(), first.getLast().id(), 500))
        .thenReturn(second);

    assertThat(plan(worker(1_500), campaign)).isTrue();

    verify(outbox, org.mockito.Mockito.times(2)).enqueue(any());
    verify(campaigns).recordPlanned(campaign.id(), second.getLast().id(), 1_200, true, NOW);
  }

  @Test
  void anAudienceWithNobodyLeftEndsThePlanning() {
    UUID storedCursor = UUID.randomUUID();
    Campaign campaign =
        stored(
            TestCampaigns.campaign(TENANT)
                .status(CampaignStatus.RUNNING)
                .planned(3, storedCursor, false)
                .build());
    when(audience.page(campaign.customGroupId(), Map.of(), storedCursor, 3)).thenReturn(List.of());

    assertThat(plan(worker(3), campaign)).isTrue();

    verifyNoInteractions(outbox);
    verify(campaigns).recordPlanned(campaign.id(), storedCursor, 0, true, NOW);
  }

  @Test
  void aPausedCampaignsMessagesAreQueuedHeld() {
    Map<String, String> filter = Map.of("unpaid", "yes");
    Campaign campaign =
        stored(
            TestCampaigns.campaign(TENANT)
                .status(CampaignStatus.PAUSED)
                .memberFilter(filter)
                .build());
    when(audience.page(campaign.customGroupId(), filter, null, 3)).thenReturn(members(1));

    plan(worker(3), campaign);

    ArgumentCaptor<Outbox.Batch> queued = ArgumentCaptor.forClass(Outbox.Batch.class);
    verify(outbox).enqueue(queued.capture());
    assertThat(queued.getValue().held()).isTrue();
  }

  @Test
  void aFullyPlannedOrFinishedCampaignPlansNothingMore() {
    Campaign planned =
        stored(
            TestCampaigns.campaign(TENANT)
                .status(CampaignStatus.RUNNING)
                .planned(10, UUID.randomUUID(), true)
                .build());
    Campaign cancelled =
        stored(TestCampaigns.campaign(TENANT).status(CampaignStatus.CANCELLED).build());

    assertThat(plan(worker(3), planned)).isTrue();
    assertThat(plan(worker(3), cancelled)).isTrue();

    verifyNoInteractions(audience, outbox);
    verify(campaigns, never()).recordPlanned(any(), any(), anyInt(), anyBoolean(), any());
  }

  @Test
  void aCampaignThatHasNotStartedIsRefused() {
    Campaign campaign = stored(TestCampaigns.campaign(TENANT).build());

    assertRefused(() -> plan(worker(3), campaign)).contains("has not started");

    verifyNoInteractions(audience, outbox);
    verify(campaigns, never()).recordPlanned(any(), any(), anyInt(), anyBoolean(), any());
  }

  @Test
  void eachRecipientKeepsItsVariantAndTheVariantsAreSpreadOverRecipients() {
    Campaign campaign =
        TestCampaigns.campaign(TENANT)
            .status(CampaignStatus.RUNNING)
            .text("Hi {name}", List.of("Hello {name}", "Good morning {name}"))
            .build();
    Set<String> greetings = new HashSet<>();
    for (Audience.Member member : members(60)) {
      Outbox.Content content = PlanCampaignBatchWorker.content(campaign, member);
      assertThat(PlanCampaignBatchWorker.content(campaign, member)).isEqualTo(content);
      assertThat(content.text()).endsWith(member.name());
      greetings.add(content.text().substring(0, content.text().indexOf(" Member")));
    }
    assertThat(greetings).containsExactlyInAnyOrder("Hi", "Hello", "Good morning");
  }

  @Test
  void aMediaCampaignSendsTheUrlWithTheCaptionOrWithout() {
    Audience.Member ana = new Audience.Member(UUID.randomUUID(), "4915100000001", "Ana", Map.of());
    Campaign withCaption =
        TestCampaigns.campaign(TENANT)
            .media("https://cdn.example.com/flyer.jpg", "For you, {name}")
            .build();
    Campaign withoutCaption =
        TestCampaigns.campaign(TENANT).media("https://cdn.example.com/flyer.jpg", null).build();

    assertThat(PlanCampaignBatchWorker.content(withCaption, ana))
        .isEqualTo(Outbox.Content.media("https://cdn.example.com/flyer.jpg", "For you, Ana"));
    assertThat(PlanCampaignBatchWorker.content(withoutCaption, ana))
        .isEqualTo(Outbox.Content.media("https://cdn.example.com/flyer.jpg", null));
  }
}
