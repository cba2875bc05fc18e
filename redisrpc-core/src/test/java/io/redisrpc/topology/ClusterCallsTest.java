package io.redisrpc.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.redisrpc.Endpoint;
import io.redisrpc.Protocol;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@WithRedisCluster(primaries = 3, replicas = 0)
class ClusterCallsTest {
  @RpcService("ClusterEcho")
  public interface Echo {
    @Endpoint
    CompletableFuture<String> echo(String text);
  }

  static final class EchoService implements Echo {
    @Override
    public CompletableFuture<String> echo(String text) {
      return CompletableFuture.completedFuture("echo:" + text);
    }
  }

  @Test
  void callsThroughOneRootAreAnsweredBySpublishOnTheOwningPrimaryOnly(RedisCluster cluster)
      throws Exception {
    int slot = RedisCluster.slot("rpc:{ClusterEcho}:requests");
    RedisProcess owner = cluster.primaryOwning(slot);
    cluster.primaries().forEach(CommandStats::reset);
    // A classic PUBLISH in a cluster reaches classic subscribers on every node; SPUBLISH does not.
    try (ClassicListener classic = ClassicListener.on(owner, "rpc:{ClusterEcho}:*");
        RedisRpc redis = RedisRpc.create(cluster.uri());
        RpcServer server = RpcServer.create(Echo.class, new EchoService()).connect(redis);
        RpcClient<Echo> client = RpcClient.create(Echo.class).connect(redis)) {
      List<CompletableFuture<String>> replies = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        replies.add(client.proxy().echo("m" + i));
      }
      CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      for (int i = 0; i < 200; i++) {
        assertThat(replies.get(i).get()).isEqualTo("echo:m" + i);
      }
      // The last replies may reach the client before their server learnt they went out.
      await().atMost(Duration.ofSeconds(10)).until(() -> server.inFlight() == 0);
      // Replies ready together share one SPUBLISH (several replies in a message).
      assertThat(CommandStats.calls(owner, "spublish")).isPositive();
      assertThat(classic.messages()).as("messages of classic PUBLISH").isEmpty();
    }
  }

  @Test
  void theRegistryListsAServiceServedOnACluster(RedisCluster cluster) {
    try (RedisRpc redis = RedisRpc.create(cluster.uri());
        RpcServer server = RpcServer.create(Echo.class, new EchoService()).connect(redis);
        RpcRegistry registry = RpcRegistry.connect(redis, Duration.ofSeconds(5))) {
      assertThat(registry.services()).contains("ClusterEcho");
      assertThat(registry.instances("ClusterEcho"))
          .extracting(i -> i.id())
          .containsExactly(server.instanceId());
      assertThat(registry.descriptor("ClusterEcho")).isPresent();
      assertThat(registry.stats("ClusterEcho").instances()).hasSize(1);
    }
  }

  @Test
  void aioredisProtocolIsRefusedOnAClusterNamingTheReason(RedisCluster cluster) {
    try (RedisRpc redis = RedisRpc.create(cluster.uri());
        RpcClient<Echo> client =
            RpcClient.builder(Echo.class).protocol(Protocol.aioredisRpc()).build()) {
      assertThatThrownBy(() -> client.connect(redis))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a Redis Cluster");
    }
  }
}
