package io.flowmate.outreach.audience;

import io.flowmate.messaging.Directory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The members a list built from WhatsApp groups gets: every participant with a phone number once,
 * however many of the groups they are in. Participants WhatsApp shows only by linked id (LID), with
 * no phone number Flowmate has seen for them, cannot be messaged by number and are counted instead.
 */
final class ParticipantRoster {

  /**
   * @param participants participants read, over all groups
   * @param duplicates participants already taken from an earlier group (or twice in one)
   * @param lidOnly participants known only by LID, left out
   * @param invalid participants whose number is not a valid phone number, left out
   */
  record Roster(
      List<NewMember> members, int participants, int duplicates, int lidOnly, int invalid) {}

  private ParticipantRoster() {}

  static Roster of(List<List<Directory.Participant>> groups) {
    Map<String, NewMember> members = new LinkedHashMap<>();
    int participants = 0;
    int duplicates = 0;
    int lidOnly = 0;
    int invalid = 0;
    for (List<Directory.Participant> group : groups) {
      for (Directory.Participant participant : group) {
        participants++;
        if (participant.phone() == null) {
          lidOnly++;
          continue;
        }
        NewMember.Checked checked =
            NewMember.check(participant.phone(), participant.name(), Map.of());
        if (checked.member() == null) {
          invalid++;
        } else if (members.putIfAbsent(checked.member().phone(), checked.member()) != null) {
          duplicates++;
        }
      }
    }
    return new Roster(
        new ArrayList<>(members.values()), participants, duplicates, lidOnly, invalid);
  }
}
