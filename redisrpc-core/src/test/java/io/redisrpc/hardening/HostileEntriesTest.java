package io.redisrpc.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.redisrpc.Endpoint;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.testing.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request stream is writable by every client user: no entry, whatever its id and fields,
 * extends another call's deadline or stops the service for more than a moment, and none is silently
 * dropped when its caller can be told why.
 */
class HostileEntriesTest {
  @RpcService("Hostile")
  public interface Svc {
    @Endpoint
    CompletableFuture<String> hold(String name);

    @Endpoint
    CompletableFuture<String> echo(String name);
  }

  static final class SvcImpl implements Svc {
    final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    final CountDownLatch holding = new CountDownLatch(1);
    final CompletableFuture<String> release = new CompletableFuture<>();

    int runs(String name) {
      AtomicInteger n = runs.get(name);
      return n == null ? 0 : n.get();
    }

    @Override
    public CompletableFuture<String> hold(String name) {
      runs.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
      holding.countDown();
      return release.thenApply(x -> name);
    }

    @Override
    public CompletableFuture<String> echo(String name) {
      runs.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
      return CompletableFuture.completedFuture(name);
    }
  }

  RedisProcess redis;
  RawRedis raw;
  RedisCommands<String, String> sync;

  @BeforeEach
  void start() {
    // A Redis per test: these tests break the stream's ids on purpose.
    redis = RedisProcess.start();
    raw = RawRedis.connect(redis.uri());
    sync = raw.sync();
  }

  @AfterEach
  void stop() {
    raw.close();
    redis.close();
  }

  private long redisMillis() {
    return raw.millis();
  }

  private static String payload(String id, String replyTo, String method, long timeoutMillis) {
    return RawRedis.request(id, replyTo, method, timeoutMillis, id);
  }

  /** ENQUEUE as a client written by hand runs it (docs/PROTOCOL.md): it sends no cancellation. */
  private String enqueue(String payload) throws Exception {
    String script;
    try (var in =
        HostileEntriesTest.class.getResourceAsStream(
            "/io/redisrpc/internal/transport/lua/enqueue.lua")) {
      script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    return sync.eval(
        script,
        io.lettuce.core.ScriptOutputType.VALUE,
        new String[] {"rpc:{Hostile}:requests", "rpc:{Hostile}:instances"},
        "json",
        payload,
        "1000000");
  }

  @Test
  void anEntryAnHourAheadGivesNoLaterCallMoreTimeThanItAskedFor() throws Exception {
    SvcImpl impl = new SvcImpl();
    try (RpcServer server =
            RpcServer.builder(Svc.class, (Svc) impl)
                .maxConcurrency(1)
                .build()
                .connect(redis.uri());
        RpcClient<Svc> client = RpcClient.create(Svc.class).connect(redis.uri())) {
      LinkedBlockingQueue<String> replies = raw.listen("rpc:{Hostile}:reply:late");
      long hourAhead = redisMillis() + 3_600_000;
      sync.xadd(
          "rpc:{Hostile}:requests",
          new XAddArgs().id(hourAhead + "-0"),
          Map.of("codec", "json", "payload", payload("x", "rpc:{Hostile}:reply:x", "echo", 0)));
      CompletableFuture<String> held = client.proxy().hold("held");
      assertThat(impl.holding.await(10, TimeUnit.SECONDS)).isTrue();
      // Queued behind the held call until well past its 300 ms deadline; its id lies an hour
      // ahead, after the stranger's entry.
      String id = enqueue(payload("late", "rpc:{Hostile}:reply:late", "echo", 300));
      assertThat(Long.parseLong(id.substring(0, id.indexOf('-')))).isEqualTo(hourAhead);
      long deadline = redisMillis() + 300;
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> redisMillis() > deadline);
      impl.release.complete("go");
      assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("held");
      assertThat(replies.poll(10, TimeUnit.SECONDS))
          .isEqualTo(
              "{\"id\":\"late\",\"error\":{\"code\":\"DEADLINE_EXCEEDED\",\"message\":\"The"
                  + " deadline of Hostile.echo passed before it started\"}}");
      assertThat(impl.runs("late")).as("runs of the call queued past its deadline").isZero();
    }
  }

  @Test
  void anEntryWithTheLastPossibleIdStopsTheServiceOnlyForAMoment() throws Exception {
    SvcImpl impl = new SvcImpl();
    try (RpcServer server = RpcServer.create(Svc.class, (Svc) impl).connect(redis.uri());
        RpcClient<Svc> client =
            RpcClient.builder(Svc.class)
                .timeout(Duration.ofSeconds(20))
                .build()
                .connect(redis.uri())) {
      assertThat(client.proxy().echo("before").get(10, TimeUnit.SECONDS)).isEqualTo("before");
      sync.xadd(
          "rpc:{Hostile}:requests",
          new XAddArgs().id("18446744073709551615-18446744073709551615"),
          Map.of("codec", "json", "payload", "garbage"));
      // Every call made meanwhile still ends with its result.
      List<CompletableFuture<String>> calls = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        calls.add(client.proxy().echo("during" + i));
      }
      for (int i = 0; i < 20; i++) {
        assertThat(calls.get(i).get(20, TimeUnit.SECONDS)).isEqualTo("during" + i);
        assertThat(impl.runs("during" + i)).isEqualTo(1);
      }
      // And new entries are back on Redis' clock.
      String id = sync.xadd("rpc:{Hostile}:requests", Map.of("probe", "1"));
      assertThat(Long.parseLong(id.substring(0, id.indexOf('-'))))
          .isLessThan(redisMillis() + 60_000);
    }
  }

  @Test
  void legitimateCallsQueuedBehindEntriesFromTheFutureAreAllAnswered() throws Exception {
    SvcImpl impl = new SvcImpl();
    try (RpcClient<Svc> client =
        RpcClient.builder(Svc.class).timeout(Duration.ofSeconds(30)).build().connect(redis.uri())) {
      // A first server makes the stream and leaves: calls queue while none serves.
      RpcServer.create(Svc.class, (Svc) new SvcImpl()).connect(redis.uri()).close();
      sync.zadd("rpc:{Hostile}:instances", 1e15, "pretend");
      sync.xadd(
          "rpc:{Hostile}:requests",
          new XAddArgs().id((redisMillis() + 7_200_000) + "-0"),
          Map.of("codec", "json", "payload", "ahead"));
      List<CompletableFuture<String>> calls = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        calls.add(client.proxy().echo("queued" + i));
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sync.xlen("rpc:{Hostile}:requests") == 21);
      sync.zrem("rpc:{Hostile}:instances", "pretend");
      try (RpcServer server = RpcServer.create(Svc.class, (Svc) impl).connect(redis.uri())) {
        for (int i = 0; i < 20; i++) {
          assertThat(calls.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("queued" + i);
        }
        Awaitility.await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () -> {
                  String id = sync.xadd("rpc:{Hostile}:requests", Map.of("probe", "1"));
                  assertThat(Long.parseLong(id.substring(0, id.indexOf('-'))))
                      .isLessThan(redisMillis() + 60_000);
                });
      }
    }
  }

  @Test
  void anEntryOverTheSizeLimitIsAnsweredWithResourceExhausted() throws Exception {
    SvcImpl impl = new SvcImpl();
    try (RpcServer server =
        RpcServer.builder(Svc.class, (Svc) impl)
            .maxMessageBytes(1024)
            .build()
            .connect(redis.uri())) {
      LinkedBlockingQueue<String> replies = raw.listen("rpc:{Hostile}:reply:big");
      String big =
          "{\"id\":\"big-1\",\"reply_to\":\"rpc:{Hostile}:reply:big\",\"method\":\"echo\","
              + "\"timeout_ms\":5000,\"args\":[\""
              + "x".repeat(4096)
              + "\"]}";
      sync.xadd("rpc:{Hostile}:requests", Map.of("codec", "json", "payload", big));
      assertThat(replies.poll(10, TimeUnit.SECONDS))
          .startsWith("{\"id\":\"big-1\",\"error\":{\"code\":\"RESOURCE_EXHAUSTED\"")
          .contains("over the limit of 1024");
      assertThat(impl.runs).isEmpty();
      assertThat(server.rejectedMessages()).isEqualTo(1);
    }
  }

  @Test
  void anEntryNamingAFieldTwiceIsRefused() throws Exception {
    SvcImpl impl = new SvcImpl();
    try (RpcServer server = RpcServer.create(Svc.class, (Svc) impl).connect(redis.uri());
        RpcClient<Svc> client = RpcClient.create(Svc.class).connect(redis.uri())) {
      // XADD with the field twice, as a raw command: a map cannot express it.
      sync.dispatch(
          io.lettuce.core.protocol.CommandType.XADD,
          new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
          new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8)
              .addKey("rpc:{Hostile}:requests")
              .add("*")
              .add("payload")
              .add(payload("twice", "rpc:{Hostile}:reply:x", "echo", 5000))
              .add("codec")
              .add("json")
              .add("payload")
              .add(payload("twice", "rpc:{Hostile}:reply:x", "echo", 5000)));
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.rejectedMessages() == 1);
      assertThat(impl.runs("twice")).isZero();
      assertThat(client.proxy().echo("fine").get(10, TimeUnit.SECONDS)).isEqualTo("fine");
    }
  }
}
