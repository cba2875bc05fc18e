package io.redisrpc.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisrpc.Endpoint;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server enforces deadlines itself: a handler still running at its deadline is interrupted (or
 * its future cancelled) even when no cancellation arrives, and every slot comes back whatever fails
 * along the way. Reading and reclaiming together never exceed {@code maxConcurrency}.
 */
@WithRedis
class ServerDeadlineTest {
  @RpcService("Deadlines")
  public interface Slow {
    @Endpoint
    String block(String name) throws InterruptedException;

    @Endpoint
    CompletableFuture<String> never(String name);

    @Endpoint
    String failOddly(String name);

    @Endpoint(idempotent = true)
    String count(String name) throws InterruptedException;
  }

  /** A service of its own for the reclaim test, so that it starts from an empty stream. */
  @RpcService("Reclaims")
  public interface Counting {
    @Endpoint(idempotent = true)
    String count(String name) throws InterruptedException;
  }

  /** The caller's asynchronous view of {@link Counting}. */
  @RpcService("Reclaims")
  public interface AsyncCount {
    @Endpoint(idempotent = true)
    CompletableFuture<String> count(String name);
  }

  /** An exception whose message cannot even be read. */
  static final class Poison extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @Override
    public String getMessage() {
      throw new IllegalStateException("no message for you");
    }
  }

  static final class SlowImpl implements Slow {
    final CountDownLatch interrupted = new CountDownLatch(1);
    final CompletableFuture<String> forever = new CompletableFuture<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    final AtomicInteger counted = new AtomicInteger();
    volatile CountDownLatch countGate = new CountDownLatch(0);

    @Override
    public String block(String name) throws InterruptedException {
      try {
        new CountDownLatch(1).await(60, TimeUnit.SECONDS);
        return name;
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
    }

    @Override
    public CompletableFuture<String> never(String name) {
      return forever;
    }

    @Override
    public String failOddly(String name) {
      throw new Poison();
    }

    @Override
    public String count(String name) throws InterruptedException {
      int now = running.incrementAndGet();
      mostAtOnce.accumulateAndGet(now, Math::max);
      try {
        countGate.await(30, TimeUnit.SECONDS);
        counted.incrementAndGet();
        return name;
      } finally {
        running.decrementAndGet();
      }
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

  /** Appends a request by hand: no client is there to send a cancellation at its deadline. */
  private static void request(String id, String replyTo, String method, long timeoutMillis) {
    String payload = RawRedis.request(id, replyTo, method, timeoutMillis, "x");
    raw.sync().xadd("rpc:{Deadlines}:requests", Map.of("codec", "json", "payload", payload));
  }

  @Test
  void aBlockingHandlerStillRunningAtItsDeadlineIsInterruptedByTheServerItself(RedisProcess redis)
      throws Exception {
    SlowImpl impl = new SlowImpl();
    try (RpcServer server =
        RpcServer.builder(Slow.class, (Slow) impl).maxConcurrency(1).build().connect(redis.uri())) {
      LinkedBlockingQueue<String> replies = raw.listen("rpc:{Deadlines}:reply:byhand");
      request("b1", "rpc:{Deadlines}:reply:byhand", "block", 300);
      assertThat(impl.interrupted.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(replies.poll(10, TimeUnit.SECONDS))
          .isEqualTo(
              "{\"id\":\"b1\",\"error\":{\"code\":\"DEADLINE_EXCEEDED\",\"message\":\"The"
                  + " deadline of Deadlines.block passed while it ran; the server interrupted"
                  + " it\"}}");
      // Its only slot is free again.
      try (RpcClient<Slow> client = RpcClient.create(Slow.class).connect(redis.uri())) {
        impl.countGate = new CountDownLatch(0);
        assertThat(client.proxy().count("after")).isEqualTo("after");
      }
    }
  }

  @Test
  void anAsynchronousHandlersFutureIsCancelledAtItsDeadline(RedisProcess redis) throws Exception {
    SlowImpl impl = new SlowImpl();
    try (RpcServer server =
        RpcServer.builder(Slow.class, (Slow) impl).maxConcurrency(1).build().connect(redis.uri())) {
      LinkedBlockingQueue<String> replies = raw.listen("rpc:{Deadlines}:reply:byhand2");
      request("n1", "rpc:{Deadlines}:reply:byhand2", "never", 300);
      assertThat(replies.poll(10, TimeUnit.SECONDS)).contains("DEADLINE_EXCEEDED");
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(impl.forever::isCancelled);
      try (RpcClient<Slow> client = RpcClient.create(Slow.class).connect(redis.uri())) {
        assertThat(client.proxy().count("after")).isEqualTo("after");
      }
    }
  }

  @Test
  void aFailureWhileAnsweringStillFreesTheSlot(RedisProcess redis) throws Exception {
    SlowImpl impl = new SlowImpl();
    try (RpcServer server =
            RpcServer.builder(Slow.class, (Slow) impl)
                .maxConcurrency(1)
                .build()
                .connect(redis.uri());
        RpcClient<Slow> client =
            RpcClient.builder(Slow.class)
                .timeout(Duration.ofSeconds(5))
                .build()
                .connect(redis.uri())) {
      for (int i = 0; i < 3; i++) {
        try {
          client.proxy().failOddly("x");
        } catch (RuntimeException expected) {
          // whatever the answer, the server goes on
        }
      }
      assertThat(client.proxy().count("after")).isEqualTo("after");
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.inFlight() == 0);
    }
  }

  @Test
  void readingAndReclaimingTogetherNeverRunMoreThanMaxConcurrency(RedisProcess redis)
      throws Exception {
    SlowImpl impl = new SlowImpl();
    impl.countGate = new CountDownLatch(1);
    // A vanished instance took four requests, which wait to be taken over.
    var sync = raw.sync();
    sync.xgroupCreate(
        io.lettuce.core.XReadArgs.StreamOffset.from("rpc:{Reclaims}:requests", "$"),
        "servers",
        io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
    sync.zadd("rpc:{Reclaims}:instances", 1e15, "ghost");
    try (RpcClient<AsyncCount> client =
        RpcClient.builder(AsyncCount.class)
            .timeout(Duration.ofSeconds(60))
            .build()
            .connect(redis.uri())) {
      List<String> names = new ArrayList<>();
      List<CompletableFuture<String>> calls = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        names.add("lost" + i);
        calls.add(client.proxy().count("lost" + i));
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sync.xlen("rpc:{Reclaims}:requests") == 4);
      assertThat(
              sync.xreadgroup(
                  io.lettuce.core.Consumer.from("servers", "ghost"),
                  io.lettuce.core.XReadArgs.Builder.count(4),
                  io.lettuce.core.XReadArgs.StreamOffset.lastConsumed("rpc:{Reclaims}:requests")))
          .hasSize(4);
      try (RpcServer server =
          RpcServer.builder(Counting.class, (Counting) impl::count)
              .maxConcurrency(2)
              .visibilityTimeout(Duration.ofMillis(100))
              .build()
              .connect(redis.uri())) {
        // Both slots go to taken-over requests; then new ones arrive while a read may wait.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> impl.running.get() == 2);
        sync.zrem("rpc:{Reclaims}:instances", "ghost");
        for (int i = 0; i < 4; i++) {
          names.add("queued" + i);
          calls.add(client.proxy().count("queued" + i));
        }
        Awaitility.await()
            .during(Duration.ofMillis(500))
            .atMost(Duration.ofSeconds(10))
            .until(() -> impl.running.get() <= 2 && server.inFlight() <= 2);
        impl.countGate.countDown();
        for (int i = 0; i < calls.size(); i++) {
          assertThat(calls.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(names.get(i));
        }
        assertThat(impl.mostAtOnce.get()).isLessThanOrEqualTo(2);
        assertThat(impl.counted).hasValue(8);
      }
    }
  }
}
