package io.redisrpc.reliability;

import io.redisrpc.Endpoint;
import io.redisrpc.RpcService;

/** The service the crash tests kill servers of. */
@RpcService("Crashy")
public interface Work {
  /** Doubles {@code n} after some simulated work; safe to run twice. */
  @Endpoint(idempotent = true)
  long twice(long n) throws InterruptedException;

  /** Doubles {@code n} after some simulated work; must never run twice. */
  @Endpoint
  long twiceOnce(long n) throws InterruptedException;

  /** Works on {@code n} like {@link #twice}, and nobody waits: safe to run twice. */
  @Endpoint(idempotent = true, oneWay = true)
  void record(long n) throws InterruptedException;

  /** The implementation: prints "RUN n" on stdout as each call starts, for the test to see. */
  final class Impl implements Work {
    private final long workMillis;
    private final boolean announce;

    /** How many calls this instance started. */
    public final java.util.concurrent.atomic.AtomicInteger runs =
        new java.util.concurrent.atomic.AtomicInteger();

    public Impl(long workMillis, boolean announce) {
      this.workMillis = workMillis;
      this.announce = announce;
    }

    @Override
    public long twice(long n) throws InterruptedException {
      runs.incrementAndGet();
      if (announce) {
        System.out.println("RUN " + n);
        System.out.flush();
      }
      // Simulated work, so that a kill lands while calls run.
      java.util.concurrent.TimeUnit.MILLISECONDS.sleep(workMillis);
      return 2 * n;
    }

    @Override
    public long twiceOnce(long n) throws InterruptedException {
      return twice(n);
    }

    @Override
    public void record(long n) throws InterruptedException {
      twice(n);
      recorded.add(n);
    }

    /** The arguments of the {@link #record} calls that ran to the end here. */
    public final java.util.List<Long> recorded = new java.util.concurrent.CopyOnWriteArrayList<>();
  }
}
