package io.redisrpc.internal.dispatch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Calls cancelled before this server started them. Every server hears every cancellation, and only
 * one ever reads the call, so the set forgets its oldest entries past a bound.
 */
final class CancelledCalls {
  private final Map<String, Boolean> calls;

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
  }

  /** Whether {@code call} was cancelled; forgets it. */
  synchronized boolean remove(String call) {
    return calls.remove(call) != null;
  }
}
