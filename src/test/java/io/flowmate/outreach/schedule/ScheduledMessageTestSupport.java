package io.flowmate.outreach.schedule;

import static org.awaitility.Awaitility.await;

import io.flowmate.support.ScheduleTestSupport;
import java.time.Duration;
import java.util.List;
import org.springframework.test.context.TestPropertySource;

/**
 * What the scheduled-message tests share beyond every schedule's helpers: pages of two members (so
 * that paging through a group is exercised), tenants allowed to message anyone, and deliveries.
 */
@TestPropertySource(properties = "flowmate.outreach.schedules.send-batch=2")
abstract class ScheduledMessageTestSupport extends ScheduleTestSupport {

  ScheduledMessageTestSupport() {
    super("/api/v2/scheduled-messages", "history");
  }

  /** A tenant allowed to message anyone, whose schedules are cancelled after the test. */
  TestTenant tenant() {
    return cancelledAfterTheTest(newTenant().allowingColdMessages());
  }

  /** Waits until the simulated phone received this many messages from the session. */
  List<String> awaitDeliveries(TestTenant tenant, String session, int count) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> tenant.deliveredTexts(session).size() >= count);
    return tenant.deliveredTexts(session);
  }
}
