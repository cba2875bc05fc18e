package io.redisrpc.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.redisrpc.DynamicClient;
import io.redisrpc.Endpoint;
import io.redisrpc.NotConnectedException;
import io.redisrpc.RedisRpc;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcRegistry;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.testing.RedisCluster;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One hot service spread over three partitions, one on each primary of a cluster. */
@WithRedisCluster(primaries = 3, replicas = 0)
class PartitionedServiceTest {
  @RpcService(value = "Hot", partitions = 3)
  public interface Hot {
    @Endpoint
    CompletableFuture<Integer> work(int call);
  }

  @RpcService(value = "Hot", partitions = 1)
  public interface HotOfOnePartition {
    @Endpoint
    CompletableFuture<Integer> work(int call);
  }

  /** Counts the runs of each call. */
  static final class CountingHot implements Hot {
    final Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Integer> work(int call) {
      runs.computeIfAbsent(call, c -> new AtomicInteger()).incrementAndGet();
      return CompletableFuture.completedFuture(call);
    }
  }

  @Test
  void eachPartitionLivesOnItsOwnPrimary(RedisCluster cluster) {
    Set<RedisProcess> owners = new HashSet<>();
    for (int p = 0; p < 3; p++) {
      owners.add(cluster.primaryOwning(RedisCluster.slot(streamOf(p))));
    }
    assertThat(owners).hasSize(3);
  }

  @Test
  void callsUnderLoadAreAnsweredOnceAndSpreadEvenlyOverThePrimaries(RedisCluster cluster)
      throws Exception {
    CountingHot a = new CountingHot();
    CountingHot b = new CountingHot();
    // Enough calls that the per-call commands, shared by batches of varying size, outweigh the
    // heartbeats and the batching's chance.
    int calls = 6000;
    try (RedisRpc redis = RedisRpc.create(cluster.uri());
        RpcServer serverA = RpcServer.create(Hot.class, (Hot) a).connect(redis);
        RpcServer serverB = RpcServer.create(Hot.class, (Hot) b).connect(redis);
        RpcClient<Hot> client = RpcClient.create(Hot.class).connect(redis)) {
      client.proxy().work(-1).get(10, TimeUnit.SECONDS);
      cluster.primaries().forEach(CommandStats::reset);
      Map<RedisProcess, Long> before = totals(cluster);
      Semaphore inFlight = new Semaphore(64);
      List<CompletableFuture<Integer>> replies = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        assertThat(inFlight.tryAcquire(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Integer> reply = client.proxy().work(i);
        reply.whenComplete((r, e) -> inFlight.release());
        replies.add(reply);
      }
      for (int i = 0; i < calls; i++) {
        assertThat(replies.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i);
      }
      Map<RedisProcess, Long> after = totals(cluster);
      for (int i = 0; i < calls; i++) {
        int runs = count(a, i) + count(b, i);
        assertThat(runs).as("runs of call %d", i).isEqualTo(1);
      }
      List<Long> perPrimary = new ArrayList<>();
      for (RedisProcess primary : cluster.primaries()) {
        perPrimary.add(after.get(primary) - before.get(primary));
      }
      long all = perPrimary.stream().mapToLong(Long::longValue).sum();
      for (long own : perPrimary) {
        // At least the XADD of each of its third of the calls.
        assertThat(own).as("commands on a primary, %s", perPrimary).isGreaterThan(calls / 3);
        double others = (all - own) / (double) (perPrimary.size() - 1);
        assertThat(own / others)
            .as("a primary's commands against the others' mean, %s", perPrimary)
            .isBetween(0.75, 1.25);
      }
    }
  }

  @Test
  void dynamicCallsAndQueueStatsCoverEveryPartition(RedisCluster cluster) throws Exception {
    try (RedisRpc redis = RedisRpc.create(cluster.uri());
        RpcServer server = RpcServer.create(Hot.class, new CountingHot()).connect(redis);
        DynamicClient dynamic = DynamicClient.connect(redis, "Hot");
        RpcRegistry registry = RpcRegistry.connect(redis, Duration.ofSeconds(5))) {
      for (int i = 0; i < 6; i++) {
        assertThat(dynamic.call("work", "[" + i + "]", Duration.ofSeconds(10)))
            .isEqualTo(Integer.toString(i));
      }
      assertThat(registry.descriptor("Hot"))
          .hasValueSatisfying(d -> assertThat(d).contains("\"partitions\":3"));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(registry.stats("Hot").running()).isZero());
      assertThat(registry.instances("Hot")).hasSize(1);
      assertThat(server.inFlight()).isZero();
    }
  }

  @Test
  void aClientOfMorePartitionsThanItsServersIsToldWhy(RedisCluster cluster) {
    try (RedisRpc redis = RedisRpc.create(cluster.uri());
        RpcServer server =
            RpcServer.create(
                    HotOfOnePartition.class,
                    (HotOfOnePartition) c -> CompletableFuture.completedFuture(c))
                .connect(redis);
        RpcClient<Hot> client = RpcClient.create(Hot.class).connect(redis)) {
      assertThatThrownBy(() -> client.proxy().work(1).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(NotConnectedException.class)
          .hasMessage(
              "No live server for partition 0 of the 3 of service Hot (remote endpoint not"
                  + " connected; do its servers declare @RpcService(partitions = 3)?)");
    }
  }

  private static String streamOf(int partition) {
    return io.redisrpc.internal.transport.RedisKeys.partitions("Hot", 3).get(partition).requests();
  }

  private static int count(CountingHot hot, int call) {
    AtomicInteger n = hot.runs.get(call);
    return n == null ? 0 : n.get();
  }

  /** Every command each primary has run, as INFO commandstats counts them. */
  private static Map<RedisProcess, Long> totals(RedisCluster cluster) {
    Map<RedisProcess, Long> out = new java.util.HashMap<>();
    for (RedisProcess primary : cluster.primaries()) {
      out.put(primary, CommandStats.of(primary).values().stream().mapToLong(Long::longValue).sum());
    }
    return out;
  }
}
