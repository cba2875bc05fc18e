package io.redisrpc.internal.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  @Test
  void bucketsGrowBy19PercentAndBoundsAreInclusive() {
    assertThat(LatencyHistogram.bucket(0)).isZero();
    assertThat(LatencyHistogram.bucket(1_000)).isZero();
    assertThat(LatencyHistogram.bucket(1_001)).isEqualTo(1);
    assertThat(LatencyHistogram.bucket(2_000)).isEqualTo(4);
    assertThat(LatencyHistogram.bucket(2_001)).isEqualTo(5);
    assertThat(LatencyHistogram.bucket(1_000_000)).as("1 ms").isEqualTo(40);
    assertThat(LatencyHistogram.bucket(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
    for (int i = 1; i < LatencyHistogram.BUCKETS; i++) {
      double ratio =
          LatencyHistogram.upperBoundMicros(i) / LatencyHistogram.upperBoundMicros(i - 1);
      assertThat(ratio).isCloseTo(Math.pow(2, 0.25), within(1e-9));
    }
  }

  @Test
  void everyDurationFallsInTheBucketWhoseBoundsHoldIt() {
    for (long nanos = 1_001; nanos < 10_000_000_000L; nanos = nanos * 3 / 2 + 7) {
      int i = LatencyHistogram.bucket(nanos);
      double micros = nanos / 1000.0;
      assertThat(micros).isLessThanOrEqualTo(LatencyHistogram.upperBoundMicros(i));
      assertThat(micros).isGreaterThan(LatencyHistogram.upperBoundMicros(i - 1));
    }
  }

  @Test
  void percentilesAreUpperBoundsOfTheirBuckets() {
    LatencyHistogram h = new LatencyHistogram();
    long[] empty = h.snapshot();
    assertThat(LatencyHistogram.percentileMicros(empty, 0.5)).isNaN();
    for (int i = 0; i < 98; i++) {
      h.record(1_000_000); // 1 ms
    }
    h.record(100_000_000); // 100 ms
    h.record(100_000_000);
    long[] counts = h.snapshot();
    double p50 = LatencyHistogram.percentileMicros(counts, 0.5);
    double p99 = LatencyHistogram.percentileMicros(counts, 0.99);
    double oneMsBucket = LatencyHistogram.upperBoundMicros(LatencyHistogram.bucket(1_000_000));
    assertThat(oneMsBucket).isBetween(1000.0, 1190.0);
    assertThat(p50).isEqualTo(oneMsBucket);
    assertThat(p99).isBetween(100_000.0, 100_000.0 * 1.19);
    assertThat(LatencyHistogram.percentileMicros(counts, 0.98)).isEqualTo(oneMsBucket);
  }
}
