package io.redisrpc;

import java.time.Duration;
import java.util.Objects;

/**
 * A point in time by which a call must complete, measured on this JVM's monotonic clock. Immutable.
 */
public final class Deadline implements Comparable<Deadline> {
  private final long nanoTime;

  private Deadline(long nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** The deadline {@code timeout} from now; a negative timeout gives a deadline already passed. */
  public static Deadline after(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout == null");
    return new Deadline(System.nanoTime() + saturatedNanos(timeout));
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException overflow) {
      return d.isNegative() ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
    }
  }

  /** The time left, negative once the deadline has passed. */
  public Duration remaining() {
    return Duration.ofNanos(nanoTime - System.nanoTime());
  }

  /** The time left in milliseconds, rounded up, 0 once passed. */
  public long remainingMillis() {
    long nanos = nanoTime - System.nanoTime();
    return nanos <= 0 ? 0 : (nanos + 999_999) / 1_000_000;
  }

  /** Whether the deadline has passed. */
  public boolean isExpired() {
    return nanoTime - System.nanoTime() <= 0;
  }

  /** The earlier of this deadline and {@code other}. */
  public Deadline min(Deadline other) {
    Objects.requireNonNull(other, "other == null");
    return compareTo(other) <= 0 ? this : other;
  }

  @Override
  public int compareTo(Deadline other) {
    return Long.signum(nanoTime - other.nanoTime);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Deadline && ((Deadline) o).nanoTime == nanoTime;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(nanoTime);
  }

  @Override
  public String toString() {
    return "Deadline[remaining=" + remaining() + "]";
  }
}
