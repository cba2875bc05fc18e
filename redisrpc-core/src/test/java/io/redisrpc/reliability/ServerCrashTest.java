package io.redisrpc.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.Range;
import io.redisrpc.RemoteException;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.StatusCode;
import io.redisrpc.topology.OnEveryTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class ServerCrashTest extends OnEveryTopology {
  @Test
  void idempotentCallsSurviveTwentyKilledServers() throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    List<CompletableFuture<Long>> calls = new ArrayList<>();
    ExecutorService callers = Executors.newFixedThreadPool(16);
    try (RpcServer survivor =
            RpcServer.builder(Work.class, (Work) new Work.Impl(20, false))
                .visibilityTimeout(Duration.ofMillis(500))
                .maxConcurrency(4)
                .build()
                .connect(uri());
        RpcClient<Work> client =
            RpcClient.builder(Work.class).timeout(Duration.ofSeconds(60)).build().connect(uri())) {
      Semaphore inFlight = new Semaphore(16);
      Thread producer =
          new Thread(
              () -> {
                for (long n = 0; !stop.get(); n++) {
                  try {
                    inFlight.acquire();
                  } catch (InterruptedException e) {
                    return;
                  }
                  long arg = n;
                  CompletableFuture<Long> call =
                      CompletableFuture.supplyAsync(
                          () -> {
                            try {
                              return client.proxy().twice(arg);
                            } catch (InterruptedException e) {
                              throw new IllegalStateException(e);
                            } finally {
                              inFlight.release();
                            }
                          },
                          callers);
                  synchronized (calls) {
                    calls.add(call);
                  }
                }
              });
      producer.start();
      ChildServer next = ChildServer.launch(uri(), 200);
      for (int kill = 0; kill < 20; kill++) {
        ChildServer child = next;
        child.awaitLine("READY", 30);
        // The next child's JVM starts up while this one serves: the twenty start-ups overlap
        // the test instead of adding up.
        next = kill < 19 ? ChildServer.launch(uri(), 200) : null;
        child.awaitLine("RUN", 30);
        child.kill();
      }
      stop.set(true);
      producer.join(TimeUnit.SECONDS.toMillis(30));
      List<CompletableFuture<Long>> all;
      synchronized (calls) {
        all = new ArrayList<>(calls);
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      for (int n = 0; n < all.size(); n++) {
        assertThat(all.get(n).get()).as("call %d", n).isEqualTo(2L * n);
      }
      assertThat(all.size()).isGreaterThan(20);
      assertThat(client.pendingCalls()).isZero();
    } finally {
      stop.set(true);
      callers.shutdownNow();
    }
  }

  @Test
  void atMostOnceCallOfKilledServerFailsWithUnavailableAndIsNotRunAgain() throws Exception {
    try (RpcClient<Work> client =
        RpcClient.builder(Work.class).timeout(Duration.ofSeconds(30)).build().connect(uri())) {
      ChildServer child = new ChildServer(uri(), 60_000);
      CompletableFuture<Long> call = runningOn(child, 21, () -> client.proxy().twiceOnce(21));
      Work.Impl counting = new Work.Impl(0, false);
      try (RpcServer survivor =
          RpcServer.builder(Work.class, (Work) counting)
              .visibilityTimeout(Duration.ofMillis(300))
              .build()
              .connect(uri())) {
        child.kill();
        assertThatThrownBy(() -> call.get(30, TimeUnit.SECONDS))
            .cause()
            .isInstanceOfSatisfying(
                RemoteException.class,
                e -> {
                  assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
                  assertThat(e.remoteMessage())
                      .isEqualTo(
                          "The server running Crashy.twiceOnce stopped before answering;"
                              + " at-most-once calls are not retried");
                });
        assertThat(counting.runs).as("runs of the call on the survivor").hasValue(0);
      }
    }
  }

  @Test
  void requestDeliveredTooOftenGoesToDeadLetterStreamAndCallerGetsAnError() throws Exception {
    try (RpcClient<Work> client =
        RpcClient.builder(Work.class).timeout(Duration.ofSeconds(30)).build().connect(uri())) {
      ChildServer child = new ChildServer(uri(), 60_000);
      CompletableFuture<Long> call = runningOn(child, 7, () -> client.proxy().twice(7));
      Work.Impl survivorImpl = new Work.Impl(0, false);
      try (RpcServer survivor =
          RpcServer.builder(Work.class, (Work) survivorImpl)
              .visibilityTimeout(Duration.ofMillis(300))
              .maxDeliveries(1)
              .build()
              .connect(uri())) {
        child.kill();
        assertThatThrownBy(() -> call.get(30, TimeUnit.SECONDS))
            .cause()
            .isInstanceOfSatisfying(
                RemoteException.class,
                e -> {
                  assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
                  assertThat(e.remoteMessage())
                      .isEqualTo(
                          "Crashy.twice was delivered 1 times without completing;"
                              + " moved to the dead-letter stream");
                });
        assertThat(survivorImpl.runs).as("runs of the dead-lettered call").hasValue(0);
      }
      var dead = redis().commands().xrange("rpc:{Crashy}:dead", Range.create("-", "+"));
      assertThat(dead).hasSize(1);
      assertThat(dead.get(0).getBody()).containsEntry("deliveries", "1").containsKey("payload");
      assertThat(redis().commands().xlen("rpc:{Crashy}:requests")).isZero();
    }
  }

  @Test
  void oneWayIdempotentCallRunsAgainAfterServerCrash() throws Exception {
    try (RpcClient<Work> client =
        RpcClient.builder(Work.class).timeout(Duration.ofSeconds(30)).build().connect(uri())) {
      ChildServer child = new ChildServer(uri(), 60_000);
      client.proxy().record(5);
      child.awaitLine("RUN 5", 30);
      Work.Impl survivorImpl = new Work.Impl(0, false);
      try (RpcServer survivor =
          RpcServer.builder(Work.class, (Work) survivorImpl)
              .visibilityTimeout(Duration.ofMillis(300))
              .build()
              .connect(uri())) {
        child.kill();
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> survivorImpl.recorded.contains(5L));
        // Acknowledged and deleted once the handler finished, not left to run a third time.
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> redis().commands().xlen("rpc:{Crashy}:requests") == 0);
        assertThat(survivorImpl.recorded).containsExactly(5L);
        assertThat(survivor.stats().endpoint("record").orElseThrow().calls()).isEqualTo(1);
      }
    }
  }

  /** A call of {@code n} made from another thread, returned once {@code child} is running it. */
  private static CompletableFuture<Long> runningOn(
      ChildServer child, long n, java.util.concurrent.Callable<Long> call) throws Exception {
    CompletableFuture<Long> result =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return call.call();
              } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
              }
            });
    child.awaitLine("RUN " + n, 30);
    return result;
  }
}
