package io.redisrpc.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisrpc.Endpoint;
import io.redisrpc.RedisRpc;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcException;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.testing.RedisCluster;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A service's slot moves to another primary while calls are in flight, and later the primary that
 * owns it dies: nothing is lost, no at-most-once call runs twice, every call ends by its deadline.
 */
@WithRedisCluster(primaries = 3, replicas = 1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTopologyChangeTest {
  private static final String REQUESTS = "rpc:{Moving}:requests";

  @RpcService("Moving")
  public interface Moving {
    @Endpoint(idempotent = true)
    CompletableFuture<Integer> slow(int call, long millis);

    @Endpoint
    CompletableFuture<Integer> once(int call, long millis);
  }

  /** Counts the runs of each call; each handler waits {@code millis} before it answers. */
  static final class CountingMoving implements Moving {
    final Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
    final Map<Integer, AtomicInteger> onceRuns = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Integer> slow(int call, long millis) {
      runs.computeIfAbsent(call, c -> new AtomicInteger()).incrementAndGet();
      return CompletableFuture.supplyAsync(
          () -> call, CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
    }

    @Override
    public CompletableFuture<Integer> once(int call, long millis) {
      onceRuns.computeIfAbsent(call, c -> new AtomicInteger()).incrementAndGet();
      return CompletableFuture.supplyAsync(
          () -> call, CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
    }
  }

  @Test
  @Order(1)
  void aLiveMigrationDuringCallsLosesNoneAndRunsNoAtMostOnceCallTwice(RedisCluster cluster)
      throws Exception {
    int slot = RedisCluster.slot(REQUESTS);
    RedisProcess from = cluster.primaryOwning(slot);
    RedisProcess to =
        cluster.primaries().stream().filter(p -> !p.equals(from)).findFirst().orElseThrow();
    CountingMoving service = new CountingMoving();
    try (RedisRpc redis = RedisRpc.create(cluster.uri());
        RpcServer server =
            RpcServer.builder(Moving.class, (Moving) service)
                .maxConcurrency(256)
                .build()
                .connect(redis);
        RpcClient<Moving> client =
            RpcClient.builder(Moving.class)
                .timeout(Duration.ofSeconds(30))
                .build()
                .connect(redis)) {
      List<CompletableFuture<Integer>> idempotent = new ArrayList<>();
      List<CompletableFuture<Integer>> atMostOnce = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        idempotent.add(client.proxy().slow(i, 500));
      }
      for (int i = 0; i < 8; i++) {
        atMostOnce.add(client.proxy().once(i, 500));
      }
      // Moved while the calls above run, and before their replies are out.
      cluster.migrate(slot, to);
      assertThat(cluster.primaryOwning(slot)).isEqualTo(to);
      for (int i = 64; i < 128; i++) {
        idempotent.add(client.proxy().slow(i, 10));
      }

      for (int i = 0; i < idempotent.size(); i++) {
        assertThat(idempotent.get(i).get(60, TimeUnit.SECONDS)).as("call %d", i).isEqualTo(i);
      }
      for (int i = 0; i < atMostOnce.size(); i++) {
        int call = i;
        CompletableFuture<Integer> reply = atMostOnce.get(i);
        try {
          assertThat(reply.get(60, TimeUnit.SECONDS)).isEqualTo(call);
          assertThat(service.onceRuns.get(call)).as("runs of answered call %d", call).hasValue(1);
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(RpcException.class);
        }
        AtomicInteger runs = service.onceRuns.get(call);
        assertThat(runs == null ? 0 : runs.get())
            .as("runs of call %d", call)
            .isLessThanOrEqualTo(1);
      }
      assertThat(service.runs).hasSize(128);
      assertThat(client.pendingCalls()).isZero();
    }
  }

  @Test
  @Order(2)
  void killingThePrimaryOfTheServiceFailsOverAndCallsResumeWithinSeconds(RedisCluster cluster)
      throws Exception {
    int slot = RedisCluster.slot(REQUESTS);
    CountingMoving service = new CountingMoving();
    try (RedisRpc redis = RedisRpc.create(cluster.uri());
        RpcServer server = RpcServer.create(Moving.class, (Moving) service).connect(redis);
        RpcClient<Moving> client =
            RpcClient.builder(Moving.class).timeout(Duration.ofSeconds(2)).build().connect(redis)) {
      assertThat(client.proxy().slow(-1, 1).get(10, TimeUnit.SECONDS)).isEqualTo(-1);
      CallLoop loop = CallLoop.start(i -> client.proxy().slow(i, 5), Duration.ofSeconds(2));
      try {
        loop.awaitSuccesses(20, Duration.ofSeconds(30));
        long killed = System.nanoTime();
        cluster.killPrimaryOwning(slot);
        int before = loop.successes();
        // Calls made after the promotion succeed again within seconds.
        loop.awaitSuccesses(before + 50, Duration.ofSeconds(30));
        System.out.println(
            "longest time without a successful call: " + loop.longestOutageSince(killed));
      } finally {
        loop.stop();
      }
      loop.assertEveryCallEndedInTimeWithAResultOrAnRpcException();
    }
  }
}
