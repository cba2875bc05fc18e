package io.redisrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.redisrpc.testing.RedisProcess;
import io.redisrpc.topology.OnEveryTopology;
import io.redisrpc.topology.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LifecycleTest extends OnEveryTopology {
  @RpcService("Lifecycle")
  public interface Work {
    @Endpoint
    int work(int n) throws InterruptedException;
  }

  /** Holds every call until released, counting how many have started. */
  static final class GatedWork implements Work {
    final CountDownLatch started;
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger finished = new AtomicInteger();

    GatedWork(int expected) {
      this.started = new CountDownLatch(expected);
    }

    @Override
    public int work(int n) throws InterruptedException {
      started.countDown();
      assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
      finished.incrementAndGet();
      return n * 2;
    }
  }

  @Test
  void disconnectFinishesCallsInFlightBeforeClosing() throws Exception {
    GatedWork impl = new GatedWork(8);
    RpcServer server = RpcServer.create(Work.class, (Work) impl).connect(uri());
    try (RpcClient<Work> client = RpcClient.create(Work.class).connect(uri())) {
      List<CompletableFuture<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        int n = i;
        calls.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return client.proxy().work(n);
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                }));
      }
      assertThat(impl.started.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(server.inFlight()).isEqualTo(8);

      CompletableFuture<Void> disconnect = CompletableFuture.runAsync(server::disconnect);
      // The server stops taking calls at once, while its eight calls still run.
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !server.isRunning());
      assertThat(disconnect).isNotDone();
      impl.release.countDown();
      disconnect.get(30, TimeUnit.SECONDS);

      for (int i = 0; i < 8; i++) {
        assertThat(calls.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i * 2);
      }
      assertThat(impl.finished).hasValue(8);
      assertThat(server.inFlight()).isZero();
      assertThatThrownBy(() -> client.proxy().work(1)).isInstanceOf(NotConnectedException.class);
    }
  }

  @Test
  void serverNeverRunsMoreCallsThanItsConcurrencyLimit() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger highest = new AtomicInteger();
    CountDownLatch threeStarted = new CountDownLatch(3);
    CountDownLatch release = new CountDownLatch(1);
    Work impl =
        n -> {
          highest.accumulateAndGet(running.incrementAndGet(), Math::max);
          threeStarted.countDown();
          release.await(30, TimeUnit.SECONDS);
          running.decrementAndGet();
          return n;
        };
    java.util.concurrent.ExecutorService callers =
        java.util.concurrent.Executors.newFixedThreadPool(12);
    try (RpcServer server =
            RpcServer.builder(Work.class, impl).maxConcurrency(3).build().connect(uri());
        RpcClient<Work> client = RpcClient.create(Work.class).connect(uri())) {
      List<CompletableFuture<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        int n = i;
        calls.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return client.proxy().work(n);
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                },
                callers));
      }
      assertThat(threeStarted.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(server.inFlight()).isEqualTo(3);
      release.countDown();
      for (int i = 0; i < 12; i++) {
        assertThat(calls.get(i).get(20, TimeUnit.SECONDS)).isEqualTo(i);
      }
      assertThat(highest).hasValue(3);
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void connectToRedisThatIsDownFailsClearlyAndQuickly() {
    String down = redis().uriAt(RedisProcess.freePort());
    long start = System.nanoTime();
    assertThatThrownBy(() -> RpcClient.create(Work.class).connect(down))
        .isInstanceOf(NotConnectedException.class)
        .hasMessageStartingWith("Cannot connect to Redis at " + down + ": ");
    assertThatThrownBy(() -> RpcServer.create(Work.class, (Work) n -> n).connect(down))
        .isInstanceOf(NotConnectedException.class)
        .hasMessageStartingWith("Cannot connect to Redis at " + down + ": ");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void invalidDsnIsRejected() {
    assertThatThrownBy(() -> RpcClient.create(Work.class).connect("http://nowhere"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid Redis URI");
  }

  @Test
  void dsnWithPasswordAndDatabaseIsHonoured() throws Exception {
    assumeTrue(
        topology == Topology.NODE,
        "a Redis Cluster has database 0 only, and RedisCluster starts none with a password");
    try (RedisProcess secured = RedisProcess.start("--requirepass", "s3cret")) {
      String dsn = "redis://:s3cret@127.0.0.1:" + secured.port() + "/3";
      try (RpcServer server = RpcServer.create(Work.class, (Work) n -> n + 1).connect(dsn);
          RpcClient<Work> client = RpcClient.create(Work.class).connect(dsn)) {
        assertThat(client.proxy().work(41)).isEqualTo(42);
      }
      // The service lives in database 3: a client on database 0 sees no live server.
      String db0 = "redis://:s3cret@127.0.0.1:" + secured.port() + "/0";
      try (RpcServer server =
              RpcServer.create(Work.class, (Work) n -> n + 1)
                  .connect("redis://:s3cret@127.0.0.1:" + secured.port() + "/3");
          RpcClient<Work> client = RpcClient.create(Work.class).connect(db0)) {
        assertThatThrownBy(() -> client.proxy().work(1)).isInstanceOf(NotConnectedException.class);
      }
      assertThatThrownBy(
              () ->
                  RpcClient.create(Work.class)
                      .connect("redis://:wrong@127.0.0.1:" + secured.port()))
          .isInstanceOf(NotConnectedException.class);
    }
  }

  @Test
  void closingClientFailsItsWaitingCallsAsCancelled() throws Exception {
    GatedWork impl = new GatedWork(1);
    try (RpcServer server = RpcServer.create(Work.class, (Work) impl).connect(uri())) {
      RpcClient<Work> client = RpcClient.create(Work.class).connect(uri());
      CompletableFuture<Integer> call =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return client.proxy().work(1);
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      assertThat(impl.started.await(10, TimeUnit.SECONDS)).isTrue();
      client.close();
      assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(RpcException.class)
          .cause()
          .extracting(e -> ((RpcException) e).code())
          .isEqualTo(StatusCode.CANCELLED);
      assertThat(client.pendingCalls()).isZero();
      impl.release.countDown();
    }
  }
}
