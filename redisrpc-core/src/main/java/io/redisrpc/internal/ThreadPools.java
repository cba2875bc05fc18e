package io.redisrpc.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Executors for handlers and callbacks: virtual threads where the JVM has them (21+). */
public final class ThreadPools {
  private static final @Nullable ExecutorService VIRTUAL = virtualThreadsIfAvailable();

  private ThreadPools() {}

  private static @Nullable ExecutorService virtualThreadsIfAvailable() {
    try {
      // Compiled for Java 17, so the Java 21 method is looked up rather than called.
      return (ExecutorService)
          MethodHandles.publicLookup()
              .findStatic(
                  Executors.class,
                  "newVirtualThreadPerTaskExecutor",
                  MethodType.methodType(ExecutorService.class))
              .invoke();
    } catch (Throwable unavailable) {
      return null;
    }
  }

  /** Whether handlers run on virtual threads. */
  public static boolean virtualThreads() {
    return VIRTUAL != null;
  }

  /**
   * An executor for up to {@code maxConcurrency} blocking handlers: the shared virtual thread
   * executor, or a bounded pool of daemon threads on Java 17-20. The boolean says whether the
   * caller owns (and must shut down) the executor.
   */
  public static Owned handlers(String name, int maxConcurrency) {
    if (VIRTUAL != null) {
      return new Owned(VIRTUAL, false);
    }
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            maxConcurrency,
            maxConcurrency,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            daemon(name));
    pool.allowCoreThreadTimeOut(true);
    return new Owned(pool, true);
  }

  /** Where completions of asynchronous client calls run, off Redis' I/O threads. */
  public static ExecutorService callbacks() {
    return VIRTUAL != null ? VIRTUAL : CallbackPool.POOL;
  }

  private static final class CallbackPool {
    // A few long-lived threads draining one queue: under load they never park between tasks,
    // where a cached pool hands every task over through a rendezvous.
    static final ExecutorService POOL =
        Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), daemon("redisrpc-callback"));
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** An executor and whether its user must shut it down. */
  public record Owned(ExecutorService executor, boolean owned) {}
}
