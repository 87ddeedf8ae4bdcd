package io.flowmate.gateway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ids shaped like WhatsApp's that two starts never share, even two in the same millisecond. */
class SimulatedIdsTests {

  private static final int IDS_PER_START = 10_000;

  @Test
  void twoStartsHandOutDisjointIdsShapedLikeWhatsApps() {
    Instant sameMoment = Instant.parse("2026-12-07T10:00:00Z");
    SimulatedIds first = new SimulatedIds(sameMoment);
    SimulatedIds second = new SimulatedIds(sameMoment);
    Set<String> messages = new HashSet<>();
    Set<String> groups = new HashSet<>();

    for (SimulatedIds start : new SimulatedIds[] {first, second}) {
      for (int i = 0; i < IDS_PER_START; i++) {
        String message = start.message();
        String group = start.group();
        assertThat(message).matches("3EB0[0-9A-F]{28}");
        assertThat(group).matches("120363[0-9]{12}@g\\.us");
        messages.add(message);
        groups.add(group);
      }
    }

    assertThat(messages).hasSize(2 * IDS_PER_START);
    assertThat(groups).hasSize(2 * IDS_PER_START);
  }

  @Test
  void aLaterStartBeginsWithADifferentPrefix() {
    String earlier = new SimulatedIds(Instant.parse("2026-12-07T10:00:00Z")).message();
    String later = new SimulatedIds(Instant.parse("2026-12-07T10:00:01Z")).message();

    assertThat(later.substring(0, 16)).isNotEqualTo(earlier.substring(0, 16));
  }
}
