package io.flowmate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Races on session creation: concurrent requests must neither beat the plan's limit nor answer 500.
 */
class ConcurrencyAttackTests extends IntegrationTest {

  private static final int REQUESTS = 16;

  /** Many concurrent creations cannot give a tenant more sessions than its plan allows. */
  @Test
  void concurrentCreationsCannotExceedThePlansSessionLimit() throws Exception {
    TestTenant tenant = newTenant("pro");
    int limit = 5;

    List<Api.Response> answers =
        race(i -> tenant.api().post("/api/v2/sessions", Map.of("name", "race-" + i)));

    assertThat(answers).filteredOn(r -> r.status() == 201).hasSize(limit);
    assertThat(answers)
        .filteredOn(r -> r.status() != 201)
        .allSatisfy(r -> {
          assertThat(r.status()).as(r.toString()).isEqualTo(403);
          assertThat(r.header("Content-Type")).startsWith("application/problem+json");
          assertThat(r.text("detail")).contains("allows 5 session(s)");
        });
    assertThat(tenant.api().get("/api/v2/sessions").json()).hasSize(limit);
  }

  /**
   * Concurrent creations under one name answer 409 with a detail, never a 500 from the unique key.
   */
  @Test
  void concurrentCreationsUnderOneNameAnswerConflict() throws Exception {
    TestTenant tenant = newTenant("business");

    List<Api.Response> answers =
        race(i -> tenant.api().post("/api/v2/sessions", Map.of("name", "same")));

    assertThat(answers).filteredOn(r -> r.status() == 201).hasSize(1);
    assertThat(answers)
        .filteredOn(r -> r.status() != 201)
        .allSatisfy(r -> {
          assertThat(r.status()).as(r.toString()).isEqualTo(409);
          assertThat(r.header("Content-Type")).startsWith("application/problem+json");
          assertThat(r.text("detail")).contains("already exists").doesNotContain("gateway_session");
        });
  }

  /** Fires the requests together (released by one latch) and collects every answer. */
  private static List<Api.Response> race(IntFunction<Api.Response> request) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(REQUESTS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Api.Response>> pending = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        int n = i;
        pending.add(
            pool.submit(() -> {
              start.await();
              return request.apply(n);
            }));
      }
      start.countDown();
      List<Api.Response> answers = new ArrayList<>();
      for (Future<Api.Response> answer : pending) {
        answers.add(answer.get(30, TimeUnit.SECONDS));
      }
      return answers;
    } finally {
      pool.shutdownNow();
    }
  }
}
