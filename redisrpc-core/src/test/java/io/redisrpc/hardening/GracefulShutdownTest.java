package io.redisrpc.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.api.sync.RedisCommands;
import io.redisrpc.Endpoint;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.RedisProxy;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What {@code RpcServer.close()} promises: drained calls, a clean withdrawal, prompt return. */
@WithRedis
class GracefulShutdownTest {
  @RpcService("Shutdown")
  public interface Job {
    /** Runs until released. */
    @Endpoint
    String work(String name) throws InterruptedException;

    @Endpoint
    String quick(String name);
  }

  static final class JobImpl implements Job {
    final AtomicInteger runs = new AtomicInteger();
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public String work(String name) throws InterruptedException {
      runs.incrementAndGet();
      started.countDown();
      release.await(30, TimeUnit.SECONDS);
      return "done " + name;
    }

    @Override
    public String quick(String name) {
      runs.incrementAndGet();
      return name;
    }
  }

  static RawRedis raw;
  static RedisCommands<String, String> redisCommands;

  @BeforeAll
  static void connectRaw(RedisProcess redis) {
    raw = RawRedis.connect(redis.uri());
    redisCommands = raw.sync();
  }

  @AfterAll
  static void closeRaw() {
    raw.close();
  }

  @Test
  void aCallStillRunningWhileItsServerClosesIsNotTakenOverByAPeer(RedisProcess redis)
      throws Exception {
    JobImpl closing = new JobImpl();
    JobImpl peer = new JobImpl();
    Duration visibility = Duration.ofMillis(300);
    RpcServer first =
        RpcServer.builder(Job.class, (Job) closing)
            .visibilityTimeout(visibility)
            .build()
            .connect(redis.uri());
    try (RpcClient<Job> client =
        RpcClient.builder(Job.class).timeout(Duration.ofSeconds(30)).build().connect(redis.uri())) {
      CompletableFuture<String> call =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return client.proxy().work("long");
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      assertThat(closing.started.await(10, TimeUnit.SECONDS)).isTrue();
      try (RpcServer second =
          RpcServer.builder(Job.class, (Job) peer)
              .visibilityTimeout(visibility)
              .build()
              .connect(redis.uri())) {
        CompletableFuture<Void> closed = CompletableFuture.runAsync(first::close);
        // The withdrawing instance still holds the call: it keeps refreshing it, many visibility
        // timeouts long, and the peer never takes it over.
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> redisCommands.zscore("rpc:{Shutdown}:instances", first.instanceId()) == null);
        Awaitility.await()
            .during(visibility.multipliedBy(5))
            .atMost(Duration.ofSeconds(10))
            .until(() -> !call.isDone() && peer.runs.get() == 0);
        closing.release.countDown();
        assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("done long");
        closed.get(10, TimeUnit.SECONDS);
        assertThat(peer.runs).hasValue(0);
      }
    } finally {
      closing.release.countDown();
      first.close();
    }
  }

  @Test
  void closeWithNothingInFlightReturnsPromptlyWhileRedisIsDown() throws Exception {
    try (RedisProcess own = RedisProcess.start()) {
      RpcServer server =
          RpcServer.builder(Job.class, (Job) new JobImpl())
              .shutdownTimeout(Duration.ofSeconds(60))
              .build()
              .connect(own.uri());
      own.stop();
      assertClosesWellWithinItsShutdownTimeout(server);
    }
  }

  @Test
  void closeWithNothingInFlightReturnsPromptlyWhileRedisDoesNotAnswer(RedisProcess redis)
      throws Exception {
    try (RedisProxy proxy = RedisProxy.to(redis)) {
      RpcServer server =
          RpcServer.builder(Job.class, (Job) new JobImpl())
              .shutdownTimeout(Duration.ofSeconds(60))
              .build()
              .connect(proxy.uri());
      // A partition: connections stay open, nothing is answered, nothing breaks.
      proxy.freeze(true);
      assertClosesWellWithinItsShutdownTimeout(server);
    }
  }

  /** Each step that needs Redis waits for it briefly; nothing waits for the 60 s timeout. */
  private static void assertClosesWellWithinItsShutdownTimeout(RpcServer server) {
    long start = System.nanoTime();
    server.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    assertThat(server.isRunning()).isFalse();
  }

  @Test
  void aClosedServerLeavesNeitherItsInstanceNorItsConsumerBehind(RedisProcess redis)
      throws Exception {
    for (int i = 0; i < 10; i++) {
      RpcServer server =
          RpcServer.builder(Job.class, (Job) new JobImpl())
              // Heartbeats all the time: one under way as the server closes must not announce
              // the instance again after it withdrew.
              .heartbeatInterval(Duration.ofMillis(10))
              .build()
              .connect(redis.uri());
      try (RpcClient<Job> client = RpcClient.create(Job.class).connect(redis.uri())) {
        assertThat(client.proxy().quick("q" + i)).isEqualTo("q" + i);
      }
      server.close();
      String id = server.instanceId();
      Awaitility.await()
          .during(Duration.ofMillis(100))
          .atMost(Duration.ofSeconds(10))
          .until(() -> redisCommands.zscore("rpc:{Shutdown}:instances", id) == null);
      List<Object> consumers = consumers();
      assertThat(consumers.toString()).doesNotContain(id);
    }
  }

  @Test
  void connectAfterDisconnectFailsWithAClearError(RedisProcess redis) {
    RpcServer server = RpcServer.create(Job.class, (Job) new JobImpl()).connect(redis.uri());
    server.disconnect();
    assertThatThrownBy(() -> server.connect(redis.uri()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "A server of Shutdown connects once: it cannot connect again after disconnect();"
                + " build a new one");
    // A client, on the other hand, connects again.
    RpcClient<Job> client = RpcClient.create(Job.class);
    try (RpcServer serving =
        RpcServer.create(Job.class, (Job) new JobImpl()).connect(redis.uri())) {
      client.connect(redis.uri());
      assertThat(client.proxy().quick("a")).isEqualTo("a");
      client.disconnect();
      client.connect(redis.uri());
      assertThat(client.proxy().quick("b")).isEqualTo("b");
    } finally {
      client.close();
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Object> consumers() {
    return redisCommands.dispatch(
        io.lettuce.core.protocol.CommandType.XINFO,
        new io.lettuce.core.output.ArrayOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
        new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8)
            .add("CONSUMERS")
            .addKey("rpc:{Shutdown}:requests")
            .add("servers"));
  }
}
