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
    int calls = 6000;
    try (RedisRpc redis = RedisRpc.create(cluster.uri());
        RpcServer serverA = RpcServer.create(Hot.class, (Hot) a).connect(redis);
        RpcServer serverB = RpcServer.create(Hot.class, (Hot) b).connect(redis);
        RpcClient<Hot> client = RpcClient.create(Hot.class).connect(redis)) {
      client.proxy().work(-1).get(10, TimeUnit.SECONDS);
      cluster.primaries().forEach(CommandStats::reset);
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
      for (int i = 0; i < calls; i++) {
        int runs = count(a, i) + count(b, i);
        assertThat(runs).as("runs of call %d", i).isEqualTo(1);
      }
      // Each call is one stream entry on its partition's primary, however the commands around
      // it were batched: the entries show how the calls spread, the command totals would show
      // the batches' chance as well.
      List<Long> entries = new ArrayList<>();
      for (RedisProcess primary : cluster.primaries()) {
        entries.add(CommandStats.calls(primary, "xadd"));
      }
      assertThat(entries.stream().mapToLong(Long::longValue).sum()).isEqualTo(calls);
      for (long own : entries) {
        double others = (calls - own) / (double) (entries.size() - 1);
        assertThat(own / others)
            .as("a primary's calls against the others' mean, %s", entries)
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
}
