package io.flowmate.outreach.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The campaign's lifecycle as {@link CampaignStatus.Move} declares it. */
class CampaignStatusTests {

  @Test
  void finishedCampaignsMoveNoMore() {
    for (CampaignStatus.Move move : CampaignStatus.Move.values()) {
      assertThat(move.from()).noneMatch(CampaignStatus::isFinished);
    }
  }

  @Test
  void nothingLeadsBackToPending() {
    assertThat(EnumSet.allOf(CampaignStatus.Move.class))
        .noneMatch(m -> m.to() == CampaignStatus.PENDING);
  }

  /** The API undoes a pause or resume with the other when the engine cannot be told. */
  @Test
  void pauseAndResumeUndoEachOther() {
    assertThat(CampaignStatus.Move.RESUME.allowedFrom(CampaignStatus.Move.PAUSE.to())).isTrue();
    assertThat(CampaignStatus.Move.RESUME.to()).isEqualTo(CampaignStatus.RUNNING);
    assertThat(CampaignStatus.Move.PAUSE.allowedFrom(CampaignStatus.Move.RESUME.to())).isTrue();
    assertThat(CampaignStatus.Move.PAUSE.allowedFrom(CampaignStatus.PENDING)).isFalse();
  }

  @Test
  void aRefusedMoveSaysWhatItNeeds() {
    UUID id = UUID.fromString("00000000-0000-0000-0000-000000000042");

    assertThat(CampaignStatus.Move.CANCEL.refused(id, CampaignStatus.COMPLETED))
        .hasMessage(
            "Job %s is completed; only a pending, running or paused job can be cancelled", id);
    assertThat(CampaignStatus.Move.RESUME.refused(id, CampaignStatus.RUNNING))
        .hasMessage("Job %s is running; only a paused job can be resumed", id);
  }
}
