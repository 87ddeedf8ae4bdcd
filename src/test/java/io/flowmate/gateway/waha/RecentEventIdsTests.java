package io.flowmate.gateway.waha;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.gateway.waha.RecentEventIds.Seen;
import org.junit.jupiter.api.Test;

/** The webhook receiver's memory of event ids: in flight until stored, handled after, bounded. */
class RecentEventIdsTests {

  private final RecentEventIds ids = new RecentEventIds(2);

  @Test
  void aRepeatIsInFlightUntilTheFirstDeliveryIsStored() {
    assertThat(ids.begin("evt_1")).isEqualTo(Seen.FIRST);
    assertThat(ids.begin("evt_1")).isEqualTo(Seen.IN_FLIGHT);

    ids.handled("evt_1");

    assertThat(ids.begin("evt_1")).isEqualTo(Seen.HANDLED);
  }

  @Test
  void aFailedDeliveryLetsTheNextRetryThrough() {
    ids.begin("evt_1");

    ids.failed("evt_1");

    assertThat(ids.begin("evt_1")).isEqualTo(Seen.FIRST);
  }

  @Test
  void handledIdsAreBoundedOldestFirst() {
    for (String id : new String[] {"evt_1", "evt_2", "evt_3"}) {
      ids.begin(id);
      ids.handled(id);
    }

    assertThat(ids.begin("evt_1")).isEqualTo(Seen.FIRST);
    assertThat(ids.begin("evt_3")).isEqualTo(Seen.HANDLED);
  }
}
