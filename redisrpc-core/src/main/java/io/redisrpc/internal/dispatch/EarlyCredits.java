package io.redisrpc.internal.dispatch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Credit grants for streams this server has not started (yet). Every server hears every grant, and
 * only one ever runs the stream, so the map forgets its oldest entries past a bound; grants are
 * totals, so a forgotten one is made good by the caller's next.
 */
final class EarlyCredits {
  private final Map<String, Long> grants;

  EarlyCredits(int capacity) {
    this.grants =
        new LinkedHashMap<>() {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Call {@code call} grants {@code total} items in all. */
  synchronized void add(String call, long total) {
    grants.merge(call, total, Math::max);
  }

  /** The largest total granted for {@code call}, 0 for none; forgets it. */
  synchronized long remove(String call) {
    Long total = grants.remove(call);
    return total == null ? 0 : total;
  }
}
