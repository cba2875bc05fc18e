package io.redisrpc.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redisrpc.BroadcastResult;
import io.redisrpc.CallOptions;
import io.redisrpc.DeadlineExceededException;
import io.redisrpc.Endpoint;
import io.redisrpc.NotConnectedException;
import io.redisrpc.Protocol;
import io.redisrpc.RemoteException;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcException;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.StatusCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A broadcast call reaches every instance live when it leaves, and reports each one's answer. */
class BroadcastTest extends OnEveryTopology {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RpcService("Caches")
  public interface Cache {
    @Endpoint
    String name();

    @Endpoint
    void invalidate(String key);

    @Endpoint
    int size();

    @Endpoint(oneWay = true)
    void warm(String key);

    @Endpoint
    CompletableFuture<String> nameLater();
  }

  static final class NamedCache implements Cache {
    final String name;
    final List<String> invalidated = new CopyOnWriteArrayList<>();
    final AtomicInteger calls = new AtomicInteger();
    final CountDownLatch started = new CountDownLatch(1);
    volatile CountDownLatch gate = new CountDownLatch(0);

    NamedCache(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      calls.incrementAndGet();
      started.countDown();
      try {
        gate.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return name;
    }

    @Override
    public void invalidate(String key) {
      calls.incrementAndGet();
      invalidated.add(key);
    }

    @Override
    public int size() {
      calls.incrementAndGet();
      if (name.equals("broken")) {
        throw new IllegalStateException("no size on " + name);
      }
      return name.length();
    }

    @Override
    public void warm(String key) {}

    @Override
    public CompletableFuture<String> nameLater() {
      return CompletableFuture.completedFuture(name);
    }
  }

  @Test
  void broadcastReachesEveryLiveInstance() {
    List<NamedCache> caches =
        List.of(new NamedCache("a"), new NamedCache("b"), new NamedCache("c"));
    List<RpcServer> servers = new ArrayList<>();
    try (RpcClient<Cache> client = RpcClient.create(Cache.class).connect(uri())) {
      for (NamedCache cache : caches) {
        servers.add(RpcServer.create(Cache.class, (Cache) cache).connect(uri()));
      }
      // README:broadcast:begin
      BroadcastResult<Void> done = client.broadcastVoid(cache -> cache.invalidate("user:42"));
      Map<String, Throwable> failed = done.errors(); // by instance id; silent: DEADLINE_EXCEEDED
      BroadcastResult<String> names = client.broadcast(Cache::name); // each instance's answer
      // README:broadcast:end

      assertThat(names.succeeded()).isTrue();
      assertThat(names.outcomes()).hasSize(3);
      for (int i = 0; i < 3; i++) {
        assertThat(names.outcome(servers.get(i).instanceId()).orElseThrow().result())
            .contains(caches.get(i).name);
      }
      assertThat(failed).isEmpty();
      assertThat(done.succeeded()).isTrue();
      assertThat(done.outcomes().keySet())
          .containsExactlyInAnyOrderElementsOf(
              servers.stream().map(RpcServer::instanceId).toList());
      assertThat(done.outcomes().values()).allSatisfy(o -> assertThat(o.result()).isEmpty());
      for (NamedCache cache : caches) {
        assertThat(cache.invalidated).as(cache.name).containsExactly("user:42");
      }
      assertThat(client.pendingCalls()).isZero();
    } finally {
      servers.forEach(RpcServer::close);
    }
  }

  @Test
  void broadcastReportsEachInstancesErrorWithoutFailingTheCall() {
    try (RpcServer ok =
            RpcServer.create(Cache.class, (Cache) new NamedCache("fine")).connect(uri());
        RpcServer broken =
            RpcServer.create(Cache.class, (Cache) new NamedCache("broken")).connect(uri());
        RpcClient<Cache> client = RpcClient.create(Cache.class).connect(uri())) {
      BroadcastResult<Integer> sizes = client.broadcast(Cache::size);

      assertThat(sizes.succeeded()).isFalse();
      assertThat(sizes.outcome(ok.instanceId()).orElseThrow().result()).contains(4);
      assertThat(sizes.errors()).containsOnlyKeys(broken.instanceId());
      assertThat(sizes.errors().get(broken.instanceId()))
          .isInstanceOfSatisfying(
              RemoteException.class,
              e -> {
                assertThat(e.code()).isEqualTo(StatusCode.FAILED_PRECONDITION);
                assertThat(e.remoteMessage()).isEqualTo("no size on broken");
              });
    }
  }

  @Test
  void broadcastReportsASilentInstanceAsDeadlineExceeded() {
    try (RpcServer server =
            RpcServer.create(Cache.class, (Cache) new NamedCache("alive")).connect(uri());
        RpcClient<Cache> client = RpcClient.create(Cache.class).connect(uri())) {
      // Live in the instance set, and deaf: what an instance that hangs or lost its connection is.
      String instances = "rpc:{Caches}:instances";
      redis().commands().zadd(instances, redis().millis() + 60_000, "silent");
      try {
        BroadcastResult<String> names =
            client
                .withOptions(CallOptions.DEFAULT.withTimeout(Duration.ofMillis(1500)))
                .broadcast(Cache::name);

        assertThat(names.outcome(server.instanceId()).orElseThrow().result()).contains("alive");
        assertThat(names.errors()).containsOnlyKeys("silent");
        assertThat(names.errors().get("silent"))
            .isInstanceOf(DeadlineExceededException.class)
            .hasMessageStartingWith("Instance silent did not answer the broadcast of Caches.name");
        assertThat(client.pendingCalls()).isZero();
      } finally {
        redis().commands().zrem(instances, "silent");
      }
    }
  }

  @Test
  void instanceJoiningAfterBroadcastDoesNotGetIt() throws Exception {
    NamedCache early = new NamedCache("early");
    early.gate = new CountDownLatch(1);
    NamedCache late = new NamedCache("late");
    try (RpcServer first = RpcServer.create(Cache.class, (Cache) early).connect(uri());
        RpcClient<Cache> client = RpcClient.create(Cache.class).connect(uri())) {
      CompletableFuture<BroadcastResult<String>> names =
          CompletableFuture.supplyAsync(() -> client.broadcast(Cache::name));
      assertThat(early.started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      try (RpcServer second = RpcServer.create(Cache.class, (Cache) late).connect(uri())) {
        early.gate.countDown();
        BroadcastResult<String> result = names.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(result.outcomes()).containsOnlyKeys(first.instanceId());
        assertThat(late.calls).hasValue(0);
        // The late instance does take the next one.
        assertThat(client.broadcast(Cache::name).outcomes())
            .containsOnlyKeys(first.instanceId(), second.instanceId());
      }
    }
  }

  @Test
  void broadcastWithoutALiveInstanceFailsWithNotConnected() {
    try (RpcClient<Cache> client = RpcClient.create(Cache.class).connect(uri())) {
      assertThatThrownBy(() -> client.broadcast(Cache::name))
          .isInstanceOf(NotConnectedException.class)
          .hasMessage("No live server for service Caches (remote endpoint not connected)");
    }
  }

  @Test
  void whatCannotBeBroadcastFailsNamingWhy() {
    try (RpcClient<Cache> client = RpcClient.create(Cache.class).connect(uri())) {
      assertThatThrownBy(() -> client.broadcastVoid(cache -> cache.warm("k")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("One-way endpoint Caches.warm cannot be broadcast: it has no answers");
      assertThatThrownBy(() -> client.broadcast(Cache::nameLater))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Endpoint Caches.nameLater returns"
                  + " java.util.concurrent.CompletableFuture<java.lang.String>: only endpoints"
                  + " returning their result directly (or void) can be broadcast");
      assertThatThrownBy(
              () ->
                  client
                      .withOptions(CallOptions.DEFAULT.withIdempotencyKey("once"))
                      .broadcastVoid(cache -> cache.invalidate("k")))
          .isInstanceOfSatisfying(
              RpcException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
          .hasMessage(
              "A broadcast call of Caches.invalidate cannot carry an idempotency key: one"
                  + " instance alone would run it");
      assertThatThrownBy(() -> client.broadcastVoid(cache -> {}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "A broadcast makes exactly one endpoint call on the proxy it is given, not 0");
      assertThatThrownBy(
              () ->
                  client.broadcastVoid(
                      cache -> {
                        cache.invalidate("a");
                        cache.invalidate("b");
                      }))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "A broadcast makes exactly one endpoint call on the proxy it is given, not 2");
    }
  }

  @Test
  void broadcastNeedsTheNativeProtocolAndNoSharedSecret() {
    @RpcService("Plain")
    interface Plain {
      @Endpoint
      String name();
    }
    try (RpcClient<Plain> aioredis =
        RpcClient.builder(Plain.class).protocol(Protocol.aioredisRpc()).build()) {
      assertThatThrownBy(() -> aioredis.broadcast(Plain::name))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessage("Broadcast calls need the native protocol: aioredis-rpc has none");
    }
    try (RpcClient<Cache> signed =
        RpcClient.builder(Cache.class)
            .sharedSecret("0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .build()
            .connect(uri())) {
      assertThatThrownBy(() -> signed.broadcast(Cache::name))
          .isInstanceOfSatisfying(
              RpcException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.UNIMPLEMENTED))
          .hasMessage(
              "Broadcast calls are not signed: Caches has a shared secret, so its servers take"
                  + " none");
    }
  }
}
