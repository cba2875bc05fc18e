package io.redisrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@WithRedis
class RedisRpcTest {
  @RpcService("Rooted")
  public interface Rooted {
    @Endpoint
    CompletableFuture<String> hello(String name);
  }

  @Test
  void manyClientsAndServersShareOneRootAndItsFewConnections(RedisProcess redis) throws Exception {
    try (RedisRpc root = RedisRpc.create(redis.uri());
        RpcServer a = RpcServer.create(Rooted.class, n -> done("a:" + n)).connect(root);
        RpcServer b = RpcServer.create(Rooted.class, n -> done("b:" + n)).connect(root)) {
      // One command connection, one subscription connection, one reading connection per server.
      long expected = 1 + 1 + 2;
      await().atMost(Duration.ofSeconds(10)).until(() -> clients(redis) == expected);
      RpcClient<Rooted>[] clients = newClients(root, 10);
      try {
        for (RpcClient<Rooted> c : clients) {
          assertThat(c.proxy().hello("x").get(10, TimeUnit.SECONDS)).matches("[ab]:x");
        }
        // Ten more clients cost no connection: they share the root's.
        assertThat(clients(redis)).isEqualTo(expected);
      } finally {
        for (RpcClient<Rooted> c : clients) {
          c.close();
        }
      }
    }
  }

  @Test
  void closingAClientLeavesTheRootAndItsOtherUsersWorking(RedisProcess redis) throws Exception {
    try (RedisRpc root = RedisRpc.create(redis.uri());
        RpcServer server = RpcServer.create(Rooted.class, n -> done("s:" + n)).connect(root)) {
      RpcClient<Rooted> first = RpcClient.create(Rooted.class).connect(root);
      first.close();
      try (RpcClient<Rooted> second = RpcClient.create(Rooted.class).connect(root)) {
        assertThat(second.proxy().hello("y").get(10, TimeUnit.SECONDS)).isEqualTo("s:y");
      }
    }
  }

  @Test
  void aRootThatCannotReachRedisFailsTheConnectNamingTheUri() {
    try (RedisRpc root =
        RedisRpc.builder("redis://127.0.0.1:" + RedisProcess.freePort())
            .connectTimeout(Duration.ofSeconds(2))
            .build()) {
      RpcClient<Rooted> client = RpcClient.create(Rooted.class);
      assertThatThrownBy(() -> client.connect(root))
          .isInstanceOf(NotConnectedException.class)
          .hasMessageStartingWith("Cannot connect to Redis at redis://127.0.0.1:");
    }
  }

  @Test
  void builderMisuseFailsAtOnceNamingTheOption() {
    assertThatThrownBy(() -> RedisRpc.create("mysql://h"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid Redis URI 'mysql://h': unknown scheme 'mysql'");
    assertThatThrownBy(() -> RedisRpc.builder("redis://h").connectTimeout(Duration.ZERO))
        .hasMessage("connectTimeout must be positive: PT0S");
    assertThatThrownBy(() -> RedisRpc.builder("redis://h").topologyRefresh(Duration.ofMillis(5)))
        .hasMessage("topologyRefresh must be at least 100 ms: PT0.005S");
    assertThatThrownBy(() -> RedisRpc.create(null)).hasMessage("uri == null");
  }

  @Test
  void credentialsFromTheBuilderApplyToEveryKindOfUri() {
    for (String uri :
        List.of(
            "redis://h:1",
            "redis-sentinel://a:26379,b:26380#mymaster",
            "redis-cluster://a:7000,b:7001")) {
      try (RedisRpc root =
              RedisRpc.builder(uri).credentials("app", "secret".toCharArray()).build();
          RedisRpc other = RedisRpc.builder(uri).password("other".toCharArray()).build()) {
        assertThat(root.uri()).isEqualTo(uri);
        assertThat(other.uri()).isEqualTo(uri);
      }
    }
  }

  @Test
  void newBuilderKeepsTheUriAndOptions() {
    try (RedisRpc root =
            RedisRpc.builder("redis://:secret@h:1").connectTimeout(Duration.ofSeconds(3)).build();
        RedisRpc copy = root.newBuilder().build()) {
      assertThat(copy.uri()).isEqualTo("redis://:***@h:1");
      assertThat(copy.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
      assertThat(copy.isCluster()).isFalse();
      assertThat(copy).isNotSameAs(root);
    }
  }

  private static CompletableFuture<String> done(String value) {
    return CompletableFuture.completedFuture(value);
  }

  @SuppressWarnings("unchecked")
  private static RpcClient<Rooted>[] newClients(RedisRpc root, int n) {
    RpcClient<Rooted>[] clients = new RpcClient[n];
    for (int i = 0; i < n; i++) {
      clients[i] = RpcClient.create(Rooted.class).connect(root);
    }
    return clients;
  }

  /** Connections Redis has open now, besides the one asking. */
  private static long clients(RedisProcess redis) {
    io.lettuce.core.RedisClient c = io.lettuce.core.RedisClient.create(redis.uri());
    try (var conn = c.connect()) {
      return conn.sync().clientList().lines().filter(l -> !l.isBlank()).count() - 1;
    } finally {
      c.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }
}
