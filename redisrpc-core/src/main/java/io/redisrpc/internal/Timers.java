package io.redisrpc.internal;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import java.util.concurrent.TimeUnit;

/**
 * One timer wheel for every deadline and retry of the JVM: call deadlines on clients and servers,
 * retries of replies and of parked-reply takes. Adding and cancelling a timeout is O(1) and takes
 * no lock, and most calls cancel theirs long before it fires; timeouts fire within a tick (10 ms).
 * Tasks must be short: they run on the wheel's one thread.
 */
public final class Timers {
  private static final HashedWheelTimer WHEEL =
      new HashedWheelTimer(
          r -> {
            Thread t = new Thread(r, "redisrpc-timers");
            t.setDaemon(true);
            return t;
          },
          10,
          TimeUnit.MILLISECONDS);

  private Timers() {}

  /** Runs {@code task} after {@code delay} {@code unit}s, unless the timeout is cancelled first. */
  public static Timeout schedule(TimerTask task, long delay, TimeUnit unit) {
    return WHEEL.newTimeout(task, delay, unit);
  }
}
