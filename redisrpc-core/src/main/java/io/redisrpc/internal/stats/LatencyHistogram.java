package io.redisrpc.internal.stats;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts durations in {@value #BUCKETS} fixed buckets growing by a factor 2<sup>1/4</sup> (about
 * 19%): bucket 0 holds durations up to 1 µs, bucket {@code i} those in (2<sup>(i-1)/4</sup>,
 * 2<sup>i/4</sup>] µs, and the last one everything longer (its bound is about an hour). A
 * percentile is reported as the upper bound of its bucket, so it is at most 19% above the truth.
 * Recording is lock-free and costs one logarithm and one atomic increment.
 */
public final class LatencyHistogram {
  /** The number of buckets. */
  public static final int BUCKETS = 128;

  private static final double STEPS_PER_DOUBLING = 4;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

  /** Counts one duration of {@code nanos}. */
  public void record(long nanos) {
    counts.incrementAndGet(bucket(nanos));
  }

  /** The counts of every bucket, a copy. */
  public long[] snapshot() {
    long[] copy = new long[BUCKETS];
    for (int i = 0; i < BUCKETS; i++) {
      copy[i] = counts.get(i);
    }
    return copy;
  }

  /** The bucket that counts a duration of {@code nanos}. */
  public static int bucket(long nanos) {
    double micros = nanos / 1000.0;
    if (micros <= 1) {
      return 0;
    }
    int i = (int) Math.ceil(STEPS_PER_DOUBLING * Math.log(micros) / Math.log(2));
    // Rounding may put a value that sits exactly on a bound one bucket too high.
    if (i > 0 && upperBoundMicros(i - 1) >= micros) {
      i--;
    }
    return Math.min(Math.max(i, 0), BUCKETS - 1);
  }

  /** The upper bound of bucket {@code i} in microseconds: 2<sup>i/4</sup>. */
  public static double upperBoundMicros(int i) {
    return Math.pow(2, i / STEPS_PER_DOUBLING);
  }

  /**
   * The {@code q}-quantile ({@code 0 < q <= 1}) of {@code counts} in microseconds, as the upper
   * bound of the bucket it falls in; {@code NaN} when nothing was counted.
   */
  public static double percentileMicros(long[] counts, double q) {
    if (!(q > 0 && q <= 1)) {
      throw new IllegalArgumentException("q must be in (0, 1]: " + q);
    }
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return upperBoundMicros(i);
      }
    }
    return upperBoundMicros(counts.length - 1);
  }
}
