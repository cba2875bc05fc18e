package io.redisrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The registry, descriptors, statistics and dynamic calls, against a real Redis. */
@WithRedis
class DiscoveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  public record Item(String name, byte[] data, int count) {}

  @RpcService("Shelf")
  public interface Shelf {
    @Endpoint
    int put(Item item);

    @Endpoint(idempotent = true, timeoutMillis = 2500)
    Item get(String name);

    @Endpoint
    String hold(String name) throws InterruptedException;
  }

  static final class ShelfImpl implements Shelf {
    final CountDownLatch holding = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public int put(Item item) {
      return item.data().length * item.count();
    }

    @Override
    public Item get(String name) {
      if (name.equals("missing")) {
        throw new NoSuchElementException("no item " + name);
      }
      return new Item(name, new byte[] {1, 2, 3}, 7);
    }

    @Override
    public String hold(String name) throws InterruptedException {
      holding.countDown();
      assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
      return name;
    }
  }

  @Test
  void aServerAnnouncesItselfDescribesItsServiceAndWithdraws(RedisProcess redis) throws Exception {
    RpcServer server =
        RpcServer.builder(Shelf.class, (Shelf) new ShelfImpl())
            .heartbeatInterval(Duration.ofMillis(100))
            .build()
            .connect(redis.uri());
    try (RpcRegistry registry = RpcRegistry.connect(redis.uri())) {
      assertThat(registry.services()).contains("Shelf");

      List<ServiceInstance> instances = registry.instances("Shelf");
      assertThat(instances)
          .singleElement()
          .satisfies(
              i -> {
                assertThat(i.id()).isEqualTo(server.instanceId());
                assertThat(i.pid()).isEqualTo(ProcessHandle.current().pid());
                assertThat(i.version()).startsWith("redisrpc-java ").doesNotContain("unknown");
                assertThat(i.protocolVersion())
                    .isEqualTo(io.redisrpc.internal.codec.WireCodec.PROTOCOL_VERSION);
                assertThat(i.endpoints()).containsExactlyInAnyOrder("put", "get", "hold");
                assertThat(i.startedAt()).isPresent();
                assertThat(i.lastHeartbeat()).isPresent();
                assertThat(i.stats()).isPresent();
              });

      JsonNode descriptor = JSON.readTree(registry.descriptor("Shelf").orElseThrow());
      assertThat(descriptor.get("service").asText()).isEqualTo("Shelf");
      assertThat(descriptor.get("protocol_version").asInt())
          .isEqualTo(io.redisrpc.internal.codec.WireCodec.PROTOCOL_VERSION);
      assertThat(descriptor.get("codecs").toString()).isEqualTo("[\"json\",\"msgpack\"]");
      JsonNode get = endpoint(descriptor, "get");
      assertThat(get.get("params").get(0).get("name").asText()).isEqualTo("name");
      assertThat(get.get("params").get(0).get("schema").get("type").asText()).isEqualTo("string");
      assertThat(get.get("result").get("$ref").asText()).isEqualTo("#/$defs/Item");
      assertThat(get.get("idempotent").asBoolean()).isTrue();
      assertThat(get.get("timeout_ms").asLong()).isEqualTo(2500);
      assertThat(endpoint(descriptor, "hold").get("throws").get(0).asText())
          .isEqualTo("java.lang.InterruptedException");
      assertThat(
              descriptor
                  .get("$defs")
                  .get("Item")
                  .get("properties")
                  .get("data")
                  .get("contentEncoding")
                  .asText())
          .isEqualTo("base64");

      // The hash expires with the instance's heartbeat ttl, so a crashed instance vanishes.
      RedisClient raw = RedisClient.create(redis.uri());
      try (StatefulRedisConnection<String, String> c = raw.connect()) {
        RedisCommands<String, String> redisCommands = c.sync();
        String hash = "rpc:{Shelf}:instance:" + server.instanceId();
        assertThat(redisCommands.pttl(hash)).isBetween(1L, 300L);
        assertThat(redisCommands.pttl("rpc:{Shelf}:descriptor")).isBetween(1L, 600L);
        assertThat(redisCommands.sismember("rpc:services", "Shelf")).isTrue();

        server.close();
        assertThat(redisCommands.exists(hash)).as("deleted on a clean shutdown").isZero();
        assertThat(registry.instances("Shelf")).isEmpty();
        // Gone from the index once its descriptor expired too (2 x ttl).
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> !registry.services().contains("Shelf"));
        assertThat(redisCommands.sismember("rpc:services", "Shelf")).isFalse();
      } finally {
        raw.shutdown();
      }
    } finally {
      server.close();
    }
  }

  @Test
  void statsCountCallsErrorsLatencyAndTheQueue(RedisProcess redis) throws Exception {
    ShelfImpl impl = new ShelfImpl();
    RpcServer server =
        RpcServer.builder(Shelf.class, (Shelf) impl)
            .maxConcurrency(1)
            .heartbeatInterval(Duration.ofMillis(100))
            .build()
            .connect(redis.uri());
    try (RpcClient<Shelf> client = RpcClient.create(Shelf.class).connect(redis.uri());
        RpcRegistry registry = RpcRegistry.connect(redis.uri())) {
      Shelf shelf = client.proxy();
      assertThat(shelf.put(new Item("a", new byte[] {1, 2}, 3))).isEqualTo(6);
      assertThat(shelf.get("a").count()).isEqualTo(7);
      assertThatThrownBy(() -> shelf.get("missing")).isInstanceOf(RemoteException.class);

      ServerStats local = server.stats();
      assertThat(local.calls()).isEqualTo(3);
      assertThat(local.errorCount()).isEqualTo(1);
      EndpointStats get = local.endpoint("get").orElseThrow();
      assertThat(get.calls()).isEqualTo(2);
      assertThat(get.errors()).isEqualTo(Map.of(StatusCode.NOT_FOUND, 1L));
      assertThat(get.lastError()).hasValue("NOT_FOUND: no item missing");
      assertThat(get.p50()).isPresent();
      assertThat(get.p99().orElseThrow()).isGreaterThanOrEqualTo(get.p50().orElseThrow());
      assertThat(local.endpoint("hold").orElseThrow().p50()).isEmpty();

      // The same numbers reach the registry with the next heartbeat.
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                ServiceStats stats = registry.stats("Shelf");
                assertThat(stats.endpoints())
                    .filteredOn(e -> e.endpoint().equals("get"))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.calls()).isEqualTo(2);
                          assertThat(e.errors()).isEqualTo(Map.of(StatusCode.NOT_FOUND, 1L));
                          assertThat(e.p50()).isEqualTo(get.p50());
                          assertThat(e.lastError()).hasValue("NOT_FOUND: no item missing");
                        });
              });

      // One call runs (the only slot), two wait in the queue.
      CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> hold(shelf, "h"));
      assertThat(impl.holding.await(10, TimeUnit.SECONDS)).isTrue();
      List<CompletableFuture<Integer>> queued = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        queued.add(CompletableFuture.supplyAsync(() -> shelf.put(new Item("q", new byte[1], 1))));
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                ServiceStats stats = ServiceStats.read(redis.uri(), "Shelf");
                assertThat(stats.waiting()).isEqualTo(2);
                assertThat(stats.running()).isEqualTo(1);
                assertThat(stats.queueLength()).isEqualTo(3);
                assertThat(stats.oldestWaiting()).isPresent();
                assertThat(stats.oldestRunning().orElseThrow())
                    .isGreaterThanOrEqualTo(stats.oldestWaiting().orElseThrow());
                assertThat(stats.endpoints())
                    .filteredOn(e -> e.endpoint().equals("hold"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.inFlight()).isEqualTo(1));
              });
      impl.release.countDown();
      assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("h");
      for (CompletableFuture<Integer> call : queued) {
        assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(1);
      }
      // Replies go out before their entries are acknowledged: wait for the queue to drain.
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                ServiceStats drained = registry.stats("Shelf");
                assertThat(drained.waiting()).isZero();
                assertThat(drained.running()).isZero();
                assertThat(drained.oldestWaiting()).isEmpty();
              });
    } finally {
      impl.release.countDown();
      server.close();
    }
  }

  @Test
  void dynamicCallsPingsAndErrors(RedisProcess redis) throws Exception {
    RpcServer first = RpcServer.create(Shelf.class, (Shelf) new ShelfImpl()).connect(redis.uri());
    RpcServer second = RpcServer.create(Shelf.class, (Shelf) new ShelfImpl()).connect(redis.uri());
    try (DynamicClient client = DynamicClient.connect(redis.uri(), "Shelf")) {
      Duration timeout = Duration.ofSeconds(10);
      assertThat(client.call("put", "[{\"name\":\"a\",\"data\":\"AQID\",\"count\":2}]", timeout))
          .isEqualTo("6");
      assertThat(JSON.readTree(client.call("get", "[\"a\"]", timeout)))
          .isEqualTo(JSON.readTree("{\"name\":\"a\",\"data\":\"AQID\",\"count\":7}"));

      assertThatThrownBy(() -> client.call("get", "[\"missing\"]", timeout))
          .isInstanceOfSatisfying(
              RemoteException.class,
              e -> {
                assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND);
                assertThat(e.remoteMessage()).isEqualTo("no item missing");
                assertThat(e.method()).isEqualTo("Shelf.get");
              });
      assertThatThrownBy(() -> client.call("put", "[42]", timeout))
          .isInstanceOfSatisfying(
              RemoteException.class,
              e -> {
                assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
                assertThat(e.remoteMessage()).contains("'item'");
              });
      assertThatThrownBy(() -> client.call("nope", "[]", timeout))
          .isInstanceOfSatisfying(
              RemoteException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.UNIMPLEMENTED));
      assertThatThrownBy(() -> client.call("get", "{\"name\":1}", timeout))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("JSON array");
      assertThatThrownBy(() -> client.call("get", "[1", timeout))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Invalid JSON arguments");

      // $ping goes through the request stream like any call, answered by one instance.
      JsonNode pong = JSON.readTree(client.call(DynamicClient.PING, "[]", timeout));
      assertThat(pong.get("service").asText()).isEqualTo("Shelf");
      assertThat(pong.get("instance").asText()).isIn(first.instanceId(), second.instanceId());

      // The per-instance ping reaches every live instance.
      Map<String, Duration> pings = client.pingInstances(2, Duration.ofSeconds(10));
      assertThat(pings.keySet()).containsExactlyInAnyOrder(first.instanceId(), second.instanceId());
      assertThat(pings.values()).allSatisfy(d -> assertThat(d).isPositive());

      // $ping is not an endpoint: it is not counted.
      assertThat(first.stats().calls() + second.stats().calls()).isEqualTo(4);
    } finally {
      first.close();
      second.close();
    }
    try (DynamicClient client = DynamicClient.connect(redis.uri(), "Shelf")) {
      assertThatThrownBy(() -> client.call("get", "[\"a\"]", Duration.ofSeconds(5)))
          .isInstanceOf(NotConnectedException.class)
          .hasMessageContaining("No live server for service Shelf");
    }
    assertThatThrownBy(() -> DynamicClient.connect(redis.uri(), "no such service"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String hold(Shelf shelf, String name) {
    try {
      return shelf.hold(name);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode endpoint(JsonNode descriptor, String name) {
    for (JsonNode e : descriptor.get("endpoints")) {
      if (e.get("name").asText().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("no endpoint " + name + " in " + descriptor);
  }
}
