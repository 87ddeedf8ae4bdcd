package io.flowmate.admin.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiRateLimitBucketTests {

  @Test
  void allowsABurstOfTheMinuteFigureThenRefillsContinuously() {
    ApiRateLimitFilter.Bucket bucket = new ApiRateLimitFilter.Bucket(60, 0);

    for (int i = 0; i < 60; i++) {
      assertThat(bucket.take(0).allowed()).isTrue();
    }
    ApiRateLimitFilter.Bucket.Outcome refused = bucket.take(0);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.remaining()).isZero();
    assertThat(refused.secondsUntilNext()).isEqualTo(1);
    assertThat(refused.secondsUntilFull()).isEqualTo(60);

    // One token per second at 60 per minute.
    assertThat(bucket.take(1_000).allowed()).isTrue();
    assertThat(bucket.take(1_000).allowed()).isFalse();
  }

  @Test
  void neverExceedsTheLimitInAnyMinute() {
    ApiRateLimitFilter.Bucket bucket = new ApiRateLimitFilter.Bucket(10, 0);
    int allowed = 0;
    for (long t = 0; t < 60_000; t += 100) {
      if (bucket.take(t).allowed()) {
        allowed++;
      }
    }
    // A full bucket (10) plus what refills during the minute (just under 10 more).
    assertThat(allowed).isBetween(19, 20);
  }
}
