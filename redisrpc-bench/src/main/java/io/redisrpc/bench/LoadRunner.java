package io.redisrpc.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Keeps exactly N calls in flight against one {@link Target}: N self-refilling loops, each starting
 * its next call when the previous one completes, on whichever thread completed it. Latencies of
 * calls that complete during the measurement window go into an HdrHistogram; warm-up calls are
 * discarded.
 */
final class LoadRunner {
  /** Past this many nested synchronous completions, the next call starts on another thread. */
  private static final int MAX_DEPTH = 64;

  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  private LoadRunner() {}

  /** What one run measured. */
  record Measurement(
      Histogram latencyNanos, long calls, long errors, double seconds, String firstError) {
    double callsPerSecond() {
      return seconds <= 0 ? 0 : calls / seconds;
    }
  }

  /**
   * Called at the start and the end of the measurement window, on the runner's thread, with a
   * counter of the calls completed so far (successful or not), for rates of other counters read
   * around the window.
   */
  interface WindowListener {
    void windowStarted(LongSupplier completed);

    void windowEnded(LongSupplier completed);
  }

  /**
   * Runs {@code target} with {@code inFlight} calls of {@code payload} in flight: warm-up, then
   * measurement, then waits up to {@code drainTimeout} for the calls still in flight.
   */
  static Measurement run(
      Target target,
      byte[] payload,
      int inFlight,
      Duration warmup,
      Duration duration,
      Duration drainTimeout,
      WindowListener listener)
      throws InterruptedException {
    Loop loop = new Loop(target, payload, inFlight);
    ExecutorService spill =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "bench-spill");
              t.setDaemon(true);
              return t;
            });
    loop.spill = spill;
    try {
      for (int i = 0; i < inFlight; i++) {
        loop.fire();
      }
      sleep(warmup);
      loop.recorder.getIntervalHistogram(); // drops the warm-up
      loop.errors.set(0);
      listener.windowStarted(loop.completed::get);
      loop.measuring = true;
      long start = System.nanoTime();
      sleep(duration);
      Histogram histogram = loop.recorder.getIntervalHistogram();
      long end = System.nanoTime();
      loop.measuring = false;
      long errors = loop.errors.get();
      listener.windowEnded(loop.completed::get);
      loop.stop.set(true);
      if (loop.outstanding.get() > 0
          && !loop.drained.await(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            target.id()
                + ": "
                + loop.outstanding.get()
                + " calls still in flight "
                + drainTimeout.toSeconds()
                + " s after the end of the measurement");
      }
      Throwable first = loop.firstError.get();
      return new Measurement(
          histogram,
          histogram.getTotalCount(),
          errors,
          (end - start) / 1e9,
          first == null ? null : String.valueOf(first));
    } finally {
      loop.stop.set(true);
      spill.shutdown();
    }
  }

  private static void sleep(Duration d) throws InterruptedException {
    TimeUnit.NANOSECONDS.sleep(d.toNanos());
  }

  private static final class Loop {
    final Target target;
    final byte[] payload;
    final Recorder recorder = new Recorder(3);
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong completed = new AtomicLong();
    final AtomicReference<Throwable> firstError = new AtomicReference<>();
    final AtomicInteger outstanding;
    final CountDownLatch drained = new CountDownLatch(1);
    volatile boolean measuring;
    ExecutorService spill;

    Loop(Target target, byte[] payload, int inFlight) {
      this.target = target;
      this.payload = payload;
      this.outstanding = new AtomicInteger(inFlight);
    }

    void fire() {
      long start = System.nanoTime();
      CompletableFuture<byte[]> call;
      try {
        call = target.call(payload);
      } catch (RuntimeException e) {
        call = CompletableFuture.failedFuture(e);
      }
      call.whenComplete((result, error) -> completed(start, result, error));
    }

    private void completed(long start, byte[] result, Throwable error) {
      long elapsed = System.nanoTime() - start;
      completed.incrementAndGet();
      if (error == null && (result == null || result.length != payload.length)) {
        error =
            new IllegalStateException(
                "echo returned "
                    + (result == null ? "null" : result.length + " bytes")
                    + " for "
                    + payload.length);
      }
      if (error != null) {
        firstError.compareAndSet(null, error);
        if (measuring) {
          errors.incrementAndGet();
        }
      } else if (measuring) {
        recorder.recordValue(elapsed);
      }
      if (stop.get()) {
        if (outstanding.decrementAndGet() == 0) {
          drained.countDown();
        }
        return;
      }
      int[] depth = DEPTH.get();
      if (depth[0] >= MAX_DEPTH) {
        spill.execute(this::fire);
        return;
      }
      depth[0]++;
      try {
        fire();
      } finally {
        depth[0]--;
      }
    }
  }
}
