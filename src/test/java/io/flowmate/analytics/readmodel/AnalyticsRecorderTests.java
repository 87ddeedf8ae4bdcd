package io.flowmate.analytics.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.flowmate.analytics.AnalyticsSettings;
import io.flowmate.core.MessageId;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.messaging.events.MessageReceived;
import io.flowmate.messaging.events.MessageStatusChanged;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/** What each event adds to the read models: the rules the live listener and the rebuild share. */
class AnalyticsRecorderTests {

  private static final TenantId TENANT = TenantId.of(UUID.randomUUID());
  private static final UUID SESSION = UUID.randomUUID();
  private static final UUID CAMPAIGN = UUID.randomUUID();
  private static final String ANA = "4915100000001@c.us";
  private static final ZoneId SAO_PAULO = ZoneId.of("America/Sao_Paulo");
  // Tuesday 2025-06-03 12:10 UTC is 09:10 in São Paulo.
  private static final Instant SENT = Instant.parse("2025-06-03T12:10:00Z");
  private static final int TUESDAY_NINE = 24 + 9;

  private final AnalyticsRecorder recorder = recorder();
  private final AnalyticsDeltas deltas = new AnalyticsDeltas();

  @Test
  void aCampaignMessageKeepsItsFurthestStepAndTheFirstTimeOfEach() {
    UUID message = UUID.randomUUID();

    replay(changed(message, "queued", SENT.minusSeconds(60), null, CAMPAIGN));
    replay(changed(message, "sent", SENT, "queued", CAMPAIGN));
    replay(changed(message, "read", SENT.plusSeconds(30), "sent", CAMPAIGN));
    replay(changed(message, "delivered", SENT.plusSeconds(40), "read", CAMPAIGN));
    replay(changed(message, "replied", SENT.plusSeconds(90), "read", CAMPAIGN));

    AnalyticsDeltas.CampaignMessage row = deltas.campaignMessages().getFirst();
    assertThat(row.step).isEqualTo(AnalyticsDeltas.Step.READ);
    assertThat(row.campaignId).isEqualTo(CAMPAIGN);
    assertThat(row.queuedAt).isEqualTo(SENT.minusSeconds(60));
    assertThat(row.sentAt).isEqualTo(SENT);
    assertThat(row.deliveredAt).as("a read message was delivered").isEqualTo(SENT.plusSeconds(30));
    assertThat(row.readAt).isEqualTo(SENT.plusSeconds(30));
    assertThat(row.repliedAt).isEqualTo(SENT.plusSeconds(90));
  }

  @Test
  void aSentMessageCountsForTheContactAndTheLocalHourItWasSentIn() {
    replay(changed(UUID.randomUUID(), "sent", SENT, "queued", null));

    AnalyticsDeltas.Contact ana = deltas.contacts().getFirst();
    assertThat(ana.contactKey).isEqualTo(ANA);
    assertThat(ana.sent).isEqualTo(1);
    assertThat(ana.lastSentAt).isEqualTo(SENT);
    assertThat(deltas.slots())
        .extracting(s -> s.contactKey, s -> s.hourOfWeek, s -> s.sent)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("", TUESDAY_NINE, 1),
            org.assertj.core.groups.Tuple.tuple(ANA, TUESDAY_NINE, 1));
    assertThat(deltas.campaignMessages()).isEmpty();
  }

  @Test
  void aReadIsCountedOnceForTheHourTheMessageWasSentInEvenWhenItIsPlayedAfterwards() {
    UUID voiceNote = UUID.randomUUID();

    replay(changed(voiceNote, "read", SENT.plus(Duration.ofHours(3)), "delivered", null));
    replay(changed(voiceNote, "played", SENT.plus(Duration.ofHours(4)), "read", null));

    assertThat(deltas.contacts().getFirst().read).isEqualTo(1);
    AnalyticsDeltas.Slot tenantSlot = deltas.slots().getFirst();
    assertThat(tenantSlot.hourOfWeek).as("the hour it was sent, not read").isEqualTo(TUESDAY_NINE);
    assertThat(tenantSlot.read).isEqualTo(1);
    assertThat(tenantSlot.readQuickly).as("read after three hours").isZero();
  }

  @Test
  void aMessagePlayedStraightAwayCountsAsAQuickRead() {
    replay(changed(UUID.randomUUID(), "played", SENT.plusSeconds(120), "sent", null));

    assertThat(deltas.contacts().getFirst().read).isEqualTo(1);
    assertThat(deltas.slots().getFirst().readQuickly).isEqualTo(1);
  }

  @Test
  void aReplyCountsForTheContactAndTheHourOfTheMessageReplied() {
    replay(changed(UUID.randomUUID(), "replied", SENT.plus(Duration.ofDays(1)), "read", null));

    assertThat(deltas.contacts().getFirst().replied).isEqualTo(1);
    assertThat(deltas.slots().getFirst().hourOfWeek).isEqualTo(TUESDAY_NINE);
    assertThat(deltas.slots().getFirst().replied).isEqualTo(1);
  }

  @Test
  void groupChatsCountForCampaignsButForNoContact() {
    String group = "120363000000000001@g.us";
    recorder.replay(
        deltas,
        new MessageStatusChanged(
            TENANT,
            SessionId.of(SESSION),
            MessageId.of(UUID.randomUUID()),
            "sent",
            SENT,
            "queued",
            group,
            "campaign",
            CAMPAIGN,
            null,
            SENT));
    recorder.replay(
        deltas,
        new MessageReceived(
            TENANT,
            SessionId.of(SESSION),
            MessageId.of(UUID.randomUUID()),
            group,
            UUID.randomUUID(),
            true,
            "text",
            SENT,
            "4915100000002"));

    assertThat(deltas.contacts()).isEmpty();
    assertThat(deltas.slots()).isEmpty();
    assertThat(deltas.campaignMessages()).hasSize(1);
  }

  @Test
  void someoneWritingFromALinkedIdIsKnownByTheirPhoneNumberWhenItIsKnown() {
    UUID contactId = UUID.randomUUID();
    recorder.replay(
        deltas,
        new MessageReceived(
            TENANT,
            SessionId.of(SESSION),
            MessageId.of(UUID.randomUUID()),
            "123456789012345@lid",
            contactId,
            false,
            "text",
            SENT,
            "4915100000001"));
    recorder.replay(
        deltas,
        new MessageReceived(
            TENANT,
            SessionId.of(SESSION),
            MessageId.of(UUID.randomUUID()),
            "999999999012345@lid",
            null,
            false,
            "text",
            SENT,
            null));

    assertThat(deltas.contacts())
        .extracting(c -> c.contactKey, c -> c.received, c -> c.contactId)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(ANA, 1, contactId),
            org.assertj.core.groups.Tuple.tuple("999999999012345@lid", 1, null));
  }

  @Test
  void aFailureKeepsItsReasonAndOutranksEarlierSteps() {
    UUID message = UUID.randomUUID();
    replay(changed(message, "sent", SENT, "queued", CAMPAIGN));
    recorder.replay(
        deltas,
        new MessageStatusChanged(
            TENANT,
            SessionId.of(SESSION),
            MessageId.of(message),
            "failed",
            SENT.plusSeconds(1),
            "sent",
            ANA,
            "campaign",
            CAMPAIGN,
            "WhatsApp refused the message (error 463)",
            SENT));
    replay(changed(message, "delivered", SENT.plusSeconds(2), "sent", CAMPAIGN));

    AnalyticsDeltas.CampaignMessage row = deltas.campaignMessages().getFirst();
    assertThat(row.step).isEqualTo(AnalyticsDeltas.Step.FAILED);
    assertThat(row.failureReason).contains("463");
    assertThat(row.failedAt).isEqualTo(SENT.plusSeconds(1));
  }

  private void replay(MessageStatusChanged event) {
    recorder.replay(deltas, event);
  }

  private static MessageStatusChanged changed(
      UUID message, String status, Instant at, String previous, UUID campaign) {
    return new MessageStatusChanged(
        TENANT,
        SessionId.of(SESSION),
        MessageId.of(message),
        status,
        at,
        previous,
        ANA,
        campaign == null ? null : "campaign",
        campaign,
        null,
        "queued".equals(status) ? null : SENT);
  }

  private static AnalyticsRecorder recorder() {
    AnalyticsTimeZones zones = mock(AnalyticsTimeZones.class);
    when(zones.of(any())).thenReturn(SAO_PAULO);
    AnalyticsSettings settings =
        new Binder(
                new MapConfigurationPropertySource(
                    java.util.Map.of("flowmate.analytics.read-models.enabled", "true")))
            .bindOrCreate("flowmate.analytics", Bindable.of(AnalyticsSettings.class));
    return new AnalyticsRecorder(
        mock(AnalyticsReadModelRepository.class), zones, mock(TransactionTemplate.class), settings);
  }
}
