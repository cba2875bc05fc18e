package io.redisrpc.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisrpc.Endpoint;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.RedisProxy;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A reply is never lost because its caller's subscription was down for less than the call's
 * remaining deadline: servers park replies nobody received, and the client takes them once
 * subscribed again.
 */
@WithRedis
class ReplyRecoveryTest {
  @RpcService("Recovery")
  public interface Counter {
    @Endpoint
    CompletableFuture<Integer> next(int n);

    @Endpoint
    CompletableFuture<Integer> afterGate(int n);
  }

  static final class CounterImpl implements Counter {
    final AtomicInteger runs = new AtomicInteger();
    volatile CountDownLatch gate = new CountDownLatch(0);
    final AtomicInteger waiting = new AtomicInteger();

    @Override
    public CompletableFuture<Integer> next(int n) {
      runs.incrementAndGet();
      return CompletableFuture.completedFuture(n + 1);
    }

    @Override
    public CompletableFuture<Integer> afterGate(int n) {
      runs.incrementAndGet();
      waiting.incrementAndGet();
      CountDownLatch g = gate;
      return CompletableFuture.supplyAsync(
          () -> {
            try {
              g.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return n + 1;
          });
    }
  }

  static RawRedis raw;

  @BeforeAll
  static void connectRaw(RedisProcess redis) {
    raw = RawRedis.connect(redis.uri());
  }

  @AfterAll
  static void closeRaw() {
    raw.close();
  }

  @Test
  void callsMadeRightAfterTheReplySubscriptionWasKilledAllGetTheirReplies(RedisProcess redis)
      throws Exception {
    CounterImpl impl = new CounterImpl();
    try (RpcServer server = RpcServer.create(Counter.class, (Counter) impl).connect(redis.uri());
        RpcClient<Counter> client =
            RpcClient.builder(Counter.class)
                .timeout(Duration.ofSeconds(20))
                .build()
                .connect(redis.uri())) {
      assertThat(client.proxy().next(0).get(10, TimeUnit.SECONDS)).isEqualTo(1);
      int before = impl.runs.get();
      // Every subscriber connection goes, the client's reply subscription with it.
      raw.sync().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub());
      List<CompletableFuture<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        calls.add(client.proxy().next(i));
      }
      for (int i = 0; i < 200; i++) {
        assertThat(calls.get(i).get(30, TimeUnit.SECONDS)).as("call %d", i).isEqualTo(i + 1);
      }
      assertThat(impl.runs.get() - before).isEqualTo(200);
      assertThat(client.pendingCalls()).isZero();
    }
  }

  @Test
  void repliesPublishedWhileEveryConnectionIsDownArriveOnceTheyAreBack(RedisProcess redis)
      throws Exception {
    CounterImpl impl = new CounterImpl();
    impl.gate = new CountDownLatch(1);
    try (RedisProxy proxy = RedisProxy.to(redis);
        RpcServer server = RpcServer.create(Counter.class, (Counter) impl).connect(redis.uri());
        RpcClient<Counter> client =
            RpcClient.builder(Counter.class)
                .timeout(Duration.ofSeconds(20))
                .build()
                .connect(proxy.uri())) {
      List<CompletableFuture<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        calls.add(client.proxy().afterGate(i));
      }
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> impl.waiting.get() == 50);
      // The client's connections break and stay broken while every reply is published.
      String channel = "rpc:{Recovery}:reply:" + client.clientId();
      proxy.refuseConnections(true);
      proxy.dropConnections();
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> raw.sync().pubsubNumsub(channel).get(channel) == 0);
      impl.gate.countDown();
      String parked = "rpc:{Recovery}:parked:" + client.clientId();
      // Replies ready together may be parked together, several in one field.
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  raw.sync().hvals(parked).stream()
                          .mapToLong(v -> v.split("\"result\":", -1).length - 1)
                          .sum()
                      == 50);
      assertThat(calls).noneMatch(CompletableFuture::isDone);
      proxy.refuseConnections(false);
      for (int i = 0; i < 50; i++) {
        assertThat(calls.get(i).get(30, TimeUnit.SECONDS)).as("call %d", i).isEqualTo(i + 1);
      }
      assertThat(impl.runs).hasValue(50);
      // Taken replies leave Redis.
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> raw.sync().exists(parked) == 0);
    }
  }

  @Test
  void aParkedReplyIsKeptNoLongerThanItsCallsDeadline(RedisProcess redis) throws Exception {
    CounterImpl impl = new CounterImpl();
    try (RpcServer server = RpcServer.create(Counter.class, (Counter) impl).connect(redis.uri())) {
      // A call whose caller is not subscribed: its reply is parked, with the call's deadline.
      String request =
          "{\"id\":\"p1\",\"reply_to\":\"rpc:{Recovery}:reply:gone\",\"method\":\"next\","
              + "\"timeout_ms\":5000,\"args\":[41]}";
      raw.sync()
          .xadd("rpc:{Recovery}:requests", java.util.Map.of("codec", "json", "payload", request));
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> raw.sync().hexists("rpc:{Recovery}:parked:gone", "p1"));
      assertThat(raw.sync().hget("rpc:{Recovery}:parked:gone", "p1"))
          .isEqualTo("{\"id\":\"p1\",\"result\":42}");
      assertThat(raw.sync().pttl("rpc:{Recovery}:parked:gone"))
          .isPositive()
          .isLessThanOrEqualTo(5000);
    }
  }
}
