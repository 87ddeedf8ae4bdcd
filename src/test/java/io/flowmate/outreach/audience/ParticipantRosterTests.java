package io.flowmate.outreach.audience;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.messaging.Directory.Participant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParticipantRosterTests {

  @Test
  void everyPhoneNumberOnceAndParticipantsKnownOnlyByLinkedIdCounted() {
    ParticipantRoster.Roster roster =
        ParticipantRoster.of(
            List.of(
                List.of(
                    new Participant("4915100000101", null, "Ana"),
                    new Participant(null, "111111111111111@lid", null),
                    new Participant("4915100000102", "222222222222222@lid", "Ben")),
                List.of(
                    new Participant("4915100000101", "333333333333333@lid", "Ana again"),
                    new Participant("12", null, null),
                    new Participant("4915100000103", null, null))));

    assertThat(roster.members())
        .extracting(NewMember::phone)
        .containsExactly("4915100000101", "4915100000102", "4915100000103");
    assertThat(roster.members().getFirst().name()).isEqualTo("Ana");
    assertThat(roster.participants()).isEqualTo(6);
    assertThat(roster.duplicates()).isEqualTo(1);
    assertThat(roster.lidOnly()).isEqualTo(1);
    assertThat(roster.invalid()).isEqualTo(1);
  }
}
