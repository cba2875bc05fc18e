package io.redisrpc.internal.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallStatsTest {
  @Test
  void countsCallsErrorsInFlightAndTheLastError() {
    CallStats stats = new CallStats(List.of("a", "b"));
    stats.started("1-0", "a");
    stats.started("2-0", "a");
    stats.started("3-0", "b");
    assertThat(stats.snapshot().get(0).inFlight()).isEqualTo(2);

    stats.finished("1-0", null, null);
    stats.finished("2-0", "NOT_FOUND", "no such thing");
    stats.finished("3-0", "NOT_FOUND", "x".repeat(2000));

    EndpointSnapshot a = stats.snapshot().get(0);
    assertThat(a.endpoint()).isEqualTo("a");
    assertThat(a.calls()).isEqualTo(2);
    assertThat(a.errors()).isEqualTo(Map.of("NOT_FOUND", 1L));
    assertThat(a.inFlight()).isZero();
    assertThat(Arrays.stream(a.buckets()).sum()).isEqualTo(2);
    assertThat(a.lastErrorCode()).isEqualTo("NOT_FOUND");
    assertThat(a.lastErrorMessage()).isEqualTo("no such thing");
    assertThat(a.lastErrorAtMillis()).isPositive();

    EndpointSnapshot b = stats.snapshot().get(1);
    assertThat(b.lastErrorMessage()).hasSize(CallStats.MAX_MESSAGE);
  }

  @Test
  void unknownMethodsAndUnstartedRequestsAreIgnored() {
    CallStats stats = new CallStats(List.of("a"));
    stats.started("1-0", "no-such-method");
    stats.finished("1-0", "UNIMPLEMENTED", "unknown");
    stats.finished("2-0", null, null);

    assertThat(stats.snapshot())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.calls()).isZero();
              assertThat(a.errors()).isEmpty();
              assertThat(a.lastErrorCode()).isNull();
            });
  }
}
