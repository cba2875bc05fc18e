package io.redisrpc.internal.transport;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The calls a server instance may hold at once. Reading and reclaiming both take slots here before
 * they ask Redis for entries, so that together they never hold more than the limit, and give back
 * those the answer did not fill.
 */
final class Slots {
  private final int limit;
  private final AtomicInteger taken = new AtomicInteger();

  Slots(int limit) {
    this.limit = limit;
  }

  /** Takes up to {@code wanted} free slots; returns how many it took, maybe 0. */
  int take(int wanted) {
    while (true) {
      int now = taken.get();
      int granted = Math.min(wanted, limit - now);
      if (granted <= 0) {
        return 0;
      }
      if (taken.compareAndSet(now, now + granted)) {
        return granted;
      }
    }
  }

  /** Gives back {@code count} slots. */
  void release(int count) {
    if (count > 0) {
      taken.addAndGet(-count);
    }
  }

  /** Whether any slot is free. */
  boolean hasFree() {
    return taken.get() < limit;
  }

  int limit() {
    return limit;
  }
}
