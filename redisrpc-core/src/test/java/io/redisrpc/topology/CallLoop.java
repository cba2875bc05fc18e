package io.redisrpc.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redisrpc.RpcException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Calls made one after another by a few threads while a test changes the topology: counts the
 * successes and records every call that ended past its deadline or with something other than an
 * {@link RpcException}.
 */
final class CallLoop {
  private static final int THREADS = 4;
  private static final long SLACK_MILLIS = 2_000;

  private final IntFunction<CompletableFuture<?>> call;
  private final long deadlineMillis;
  private final AtomicInteger successes = new AtomicInteger();
  private final AtomicInteger sequence = new AtomicInteger();
  private final List<String> late = new CopyOnWriteArrayList<>();
  private final List<Throwable> unexpected = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final List<Long> successTimes = new CopyOnWriteArrayList<>();
  private volatile boolean running = true;

  private CallLoop(IntFunction<CompletableFuture<?>> call, Duration deadline) {
    this.call = call;
    this.deadlineMillis = deadline.toMillis();
  }

  /** Starts calling {@code call} with increasing numbers; each call has {@code deadline}. */
  static CallLoop start(IntFunction<CompletableFuture<?>> call, Duration deadline) {
    CallLoop loop = new CallLoop(call, deadline);
    for (int t = 0; t < THREADS; t++) {
      Thread thread = new Thread(loop::run, "call-loop-" + t);
      thread.setDaemon(true);
      loop.threads.add(thread);
      thread.start();
    }
    return loop;
  }

  private void run() {
    while (running) {
      int n = sequence.incrementAndGet();
      long start = System.nanoTime();
      try {
        call.apply(n).get(deadlineMillis + 10 * SLACK_MILLIS, TimeUnit.MILLISECONDS);
        successTimes.add(System.nanoTime());
        successes.incrementAndGet();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RpcException)) {
          unexpected.add(e.getCause());
        }
        if (!pause()) {
          return;
        }
      } catch (java.util.concurrent.TimeoutException e) {
        unexpected.add(e);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        unexpected.add(e);
      }
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      if (tookMillis > deadlineMillis + SLACK_MILLIS) {
        late.add("call " + n + " took " + tookMillis + " ms");
      }
    }
  }

  /** Paces a caller whose call failed at once, as a caller retrying would; false if interrupted. */
  private static boolean pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(20);
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  /**
   * The longest time without a successful call since {@code sinceNanos} ({@link
   * System#nanoTime()}): how long calls stopped working.
   */
  Duration longestOutageSince(long sinceNanos) {
    List<Long> times = new java.util.ArrayList<>();
    times.add(sinceNanos);
    for (long t : successTimes) {
      if (t > sinceNanos) {
        times.add(t);
      }
    }
    java.util.Collections.sort(times);
    long longest = 0;
    for (int i = 1; i < times.size(); i++) {
      longest = Math.max(longest, times.get(i) - times.get(i - 1));
    }
    return Duration.ofNanos(longest);
  }

  int successes() {
    return successes.get();
  }

  /** Waits until {@code count} calls succeeded in all, for {@code within} at most. */
  void awaitSuccesses(int count, Duration within) {
    await().atMost(within).pollInterval(Duration.ofMillis(20)).until(() -> successes() >= count);
  }

  /** Stops the threads and waits for their last calls to end. */
  void stop() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(deadlineMillis + 20 * SLACK_MILLIS);
    }
  }

  /** Checks that every call ended by its deadline (+2 s), with its result or an RpcException. */
  void assertEveryCallEndedInTimeWithAResultOrAnRpcException() {
    assertThat(late).as("calls that ended later than their deadline (+2 s)").isEmpty();
    assertThat(unexpected).as("errors other than RpcException").isEmpty();
  }
}
