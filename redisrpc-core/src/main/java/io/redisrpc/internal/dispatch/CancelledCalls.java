package io.redisrpc.internal.dispatch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Calls cancelled before this server started them. Every server hears every cancellation, and only
 * one ever reads the call, so the set forgets its oldest entries past a bound.
 */
final class CancelledCalls {
  private final Map<String, Boolean> calls;
  // Cancellations are rare and every call asks: the common answer must not take the lock.
  private volatile boolean empty = true;

  CancelledCalls(int capacity) {
    this.calls =
        new LinkedHashMap<>() {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  synchronized void add(String call) {
    calls.put(call, Boolean.TRUE);
    empty = false;
  }

  /** Whether {@code call} was cancelled; forgets it. */
  boolean remove(String call) {
    if (empty) {
      return false;
    }
    synchronized (this) {
      boolean removed = calls.remove(call) != null;
      empty = calls.isEmpty();
      return removed;
    }
  }
}
