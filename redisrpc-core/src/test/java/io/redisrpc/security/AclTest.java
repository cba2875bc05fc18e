package io.redisrpc.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.redisrpc.Endpoint;
import io.redisrpc.NotConnectedException;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcException;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.StatusCode;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The minimal ACL rule sets of docs/SECURITY.md, verbatim: a server user and a client user can do
 * everything the protocol needs (calls, cancellation, redelivery, dead letters, withdrawal) with
 * not a single command denied, and nothing outside their service and their role.
 */
@WithRedis
class AclTest {
  /** The server's rules for Redis 7.0 and later: it may touch no other shared key. */
  static final List<String> SERVER_RULES_7 =
      List.of(
          "reset",
          "resetchannels",
          "on",
          ">server-secret",
          "+evalsha",
          "+eval",
          "+time",
          "+xreadgroup",
          "+xclaim",
          "+xautoclaim",
          "+xpending",
          "+xack",
          "+xdel",
          "+xgroup|create",
          "+xgroup|setid",
          "+xgroup|delconsumer",
          "+xinfo|stream",
          "+xinfo|groups",
          "+xinfo|consumers",
          "+xrevrange",
          "+xsetid",
          "+xadd",
          "+exists",
          "+zadd",
          "+zrange",
          "+zscore",
          "+zremrangebyscore",
          "+zrem",
          "+pexpire",
          "+pexpireat",
          "+pttl",
          "+set",
          "+hset",
          "+del",
          "+publish",
          "+subscribe",
          "+unsubscribe",
          "+client|id",
          "+client|unblock",
          "~rpc:{Orders}:*",
          "&rpc:{Orders}:*",
          "(+sadd ~rpc:services)");

  /** The server's rules for Redis 6.2, which has no selectors. */
  static final List<String> SERVER_RULES_6 =
      List.of(
          "reset",
          "resetchannels",
          "on",
          ">server-secret",
          "+evalsha",
          "+eval",
          "+time",
          "+xreadgroup",
          "+xclaim",
          "+xautoclaim",
          "+xpending",
          "+xack",
          "+xdel",
          "+xgroup|create",
          "+xgroup|setid",
          "+xgroup|delconsumer",
          "+xinfo|stream",
          "+xinfo|groups",
          "+xinfo|consumers",
          "+xrevrange",
          "+xsetid",
          "+xadd",
          "+exists",
          "+zadd",
          "+zrange",
          "+zscore",
          "+zremrangebyscore",
          "+zrem",
          "+pexpire",
          "+pexpireat",
          "+pttl",
          "+set",
          "+hset",
          "+del",
          "+publish",
          "+subscribe",
          "+unsubscribe",
          "+client|id",
          "+client|unblock",
          "+sadd",
          "~rpc:{Orders}:*",
          "~rpc:services",
          "&rpc:{Orders}:*");

  /** The client's rules for Redis 7.0 and later: it may PUBLISH on the cancel channel only. */
  static final List<String> CLIENT_RULES_7 =
      List.of(
          "reset",
          "resetchannels",
          "on",
          ">client-secret",
          "+evalsha",
          "+eval",
          "+time",
          "+zcount",
          "+xadd",
          "+hgetall",
          "+hdel",
          "+subscribe",
          "+unsubscribe",
          "~rpc:{Orders}:requests",
          "~rpc:{Orders}:instances",
          "~rpc:{Orders}:parked:*",
          "&rpc:{Orders}:reply:*",
          "(+publish &rpc:{Orders}:cancel)");

  /** The client's rules for Redis 6.2, which has no selectors. */
  static final List<String> CLIENT_RULES_6 =
      List.of(
          "reset",
          "resetchannels",
          "on",
          ">client-secret",
          "+evalsha",
          "+eval",
          "+time",
          "+zcount",
          "+xadd",
          "+hgetall",
          "+hdel",
          "+subscribe",
          "+unsubscribe",
          "+publish",
          "~rpc:{Orders}:requests",
          "~rpc:{Orders}:instances",
          "~rpc:{Orders}:parked:*",
          "&rpc:{Orders}:reply:*",
          "&rpc:{Orders}:cancel");

  @RpcService("Orders")
  public interface Orders {
    @Endpoint
    String place(String item);

    /** Blocks until interrupted. */
    @Endpoint
    String hold(String name) throws InterruptedException;

    @Endpoint(idempotent = true)
    String lookup(String id);
  }

  /** The caller's view of {@link Orders}, asynchronous. */
  @RpcService("Orders")
  public interface AsyncOrders {
    @Endpoint
    CompletableFuture<String> place(String item);

    @Endpoint
    CompletableFuture<String> hold(String name);

    @Endpoint(idempotent = true)
    CompletableFuture<String> lookup(String id);
  }

  @RpcService("Other")
  public interface Other {
    @Endpoint
    String ping();
  }

  static final class OrdersImpl implements Orders {
    final CountDownLatch holding = new CountDownLatch(1);
    final CountDownLatch interrupted = new CountDownLatch(1);

    @Override
    public String place(String item) {
      return "placed " + item;
    }

    @Override
    public String hold(String name) throws InterruptedException {
      holding.countDown();
      try {
        new CountDownLatch(1).await(60, TimeUnit.SECONDS);
        return name;
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
    }

    @Override
    public String lookup(String id) {
      return "found " + id;
    }
  }

  /** The rules as typed in redis-cli: an argument with spaces is quoted. */
  static String command(String user, List<String> rules) {
    return "ACL SETUSER "
        + user
        + " "
        + rules.stream()
            .map(r -> r.contains(" ") ? "\"" + r + "\"" : r)
            .collect(Collectors.joining(" "));
  }

  @Test
  void securityGuideShowsTheseRulesVerbatim() throws Exception {
    Path guide = Path.of("..", "docs", "SECURITY.md");
    String text = Files.readString(guide, StandardCharsets.UTF_8);
    assertThat(text)
        .contains(command("orders-server", SERVER_RULES_7))
        .contains(command("orders-server", SERVER_RULES_6))
        .contains(command("orders-client", CLIENT_RULES_7))
        .contains(command("orders-client", CLIENT_RULES_6));
  }

  @Test
  void serverAndClientUsersWorkWithTheMinimalRulesAndNoMore(RedisProcess redis) throws Exception {
    RedisClient raw = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, String> adminConnection = raw.connect()) {
      RedisCommands<String, String> admin = adminConnection.sync();
      String version =
          admin
              .info("server")
              .lines()
              .filter(l -> l.startsWith("redis_version:"))
              .findFirst()
              .orElseThrow()
              .substring("redis_version:".length())
              .trim();
      boolean redis7 = Integer.parseInt(version.substring(0, version.indexOf('.'))) >= 7;
      setUser(admin, "orders-server", redis7 ? SERVER_RULES_7 : SERVER_RULES_6);
      setUser(admin, "orders-client", redis7 ? CLIENT_RULES_7 : CLIENT_RULES_6);
      admin.aclLogReset();

      String address = redis.host() + ":" + redis.port();
      String serverDsn = "redis://orders-server:server-secret@" + address;
      String clientDsn = "redis://orders-client:client-secret@" + address;

      OrdersImpl impl = new OrdersImpl();
      try (RpcClient<AsyncOrders> client =
          RpcClient.builder(AsyncOrders.class)
              .timeout(Duration.ofSeconds(20))
              .build()
              .connect(clientDsn)) {
        // 1. Redelivery and dead letter, with the server user: a request taken by an instance
        // that then vanished is reclaimed (XAUTOCLAIM, XPENDING), and over maxDeliveries it is
        // moved to the dead-letter stream (XADD), acknowledged and deleted, and answered.
        admin.xgroupCreate(
            XReadArgs.StreamOffset.from("rpc:{Orders}:requests", "0"),
            "servers",
            io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
        admin.zadd("rpc:{Orders}:instances", 1e15, "ghost");
        CompletableFuture<String> lost = client.proxy().lookup("lost");
        List<StreamMessage<String, String>> taken =
            admin.xreadgroup(
                Consumer.from("servers", "ghost"),
                XReadArgs.Builder.block(10_000).count(1),
                XReadArgs.StreamOffset.lastConsumed("rpc:{Orders}:requests"));
        assertThat(taken).as("taken by the ghost; the call: %s", lost).hasSize(1);
        admin.zrem("rpc:{Orders}:instances", "ghost");

        RpcServer server =
            RpcServer.builder(Orders.class, (Orders) impl)
                .visibilityTimeout(Duration.ofMillis(200))
                .maxDeliveries(1)
                .build()
                .connect(serverDsn);
        try {
          assertThatThrownBy(() -> lost.get(10, TimeUnit.SECONDS))
              .isInstanceOf(ExecutionException.class)
              .cause()
              .isInstanceOfSatisfying(
                  RpcException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE));
          Awaitility.await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> admin.xlen("rpc:{Orders}:dead") == 1);

          // 2. Plain calls: ENQUEUE, XREADGROUP, PUBLISH, ACK_DELETE.
          assertThat(client.proxy().place("book").get(10, TimeUnit.SECONDS))
              .isEqualTo("placed book");
          assertThat(client.proxy().lookup("42").get(10, TimeUnit.SECONDS)).isEqualTo("found 42");

          // 3. Cancellation: the client publishes on the cancel channel, the server hears it
          // there and interrupts the handler, refreshing its request (XCLAIM) meanwhile.
          CompletableFuture<String> held = client.proxy().hold("h");
          assertThat(impl.holding.await(10, TimeUnit.SECONDS)).isTrue();
          // Until the server refreshed the running request at least once: its idle time drops.
          java.util.concurrent.atomic.AtomicLong maxIdle =
              new java.util.concurrent.atomic.AtomicLong();
          Awaitility.await()
              .pollInterval(Duration.ofMillis(5))
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> {
                    List<io.lettuce.core.models.stream.PendingMessage> pending =
                        admin.xpending(
                            "rpc:{Orders}:requests",
                            "servers",
                            io.lettuce.core.Range.unbounded(),
                            io.lettuce.core.Limit.from(10));
                    if (pending.size() != 1) {
                      return false;
                    }
                    long idle = pending.get(0).getMsSinceLastDelivery();
                    return idle < maxIdle.getAndAccumulate(idle, Math::max);
                  });
          held.cancel(true);
          assertThat(impl.interrupted.await(10, TimeUnit.SECONDS))
              .as("the handler saw the client's cancellation")
              .isTrue();

          // 4. A reply nobody is subscribed to is parked (HSET, PTTL, PEXPIRE); a client whose
          // subscription comes back takes what was parked for it (HGETALL, HDEL).
          admin.xadd(
              "rpc:{Orders}:requests",
              Map.of(
                  "codec",
                  "json",
                  "payload",
                  "{\"id\":\"p1\",\"reply_to\":\"rpc:{Orders}:reply:nobody\","
                      + "\"method\":\"place\",\"timeout_ms\":10000,\"args\":[\"x\"]}"));
          Awaitility.await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> admin.hexists("rpc:{Orders}:parked:nobody", "p1"));
          String parked = "rpc:{Orders}:parked:" + client.clientId();
          admin.hset(parked, "unknown-call", "{\"id\":\"unknown-call\",\"result\":null}");
          admin.clientKill(io.lettuce.core.KillArgs.Builder.typePubsub());
          Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> admin.exists(parked) == 0);
          assertThat(client.proxy().place("after").get(10, TimeUnit.SECONDS))
              .isEqualTo("placed after");

          // 5. Ids written far ahead of Redis' clock are brought back by the server (XINFO,
          // XREVRANGE, XSETID, XGROUP SETID).
          List<String> time = admin.time();
          long now = Long.parseLong(time.get(0)) * 1000;
          admin.xadd(
              "rpc:{Orders}:requests",
              new io.lettuce.core.XAddArgs().id((now + 3_600_000) + "-0"),
              Map.of("codec", "json", "payload", "ahead"));
          Awaitility.await()
              .atMost(Duration.ofSeconds(20))
              .untilAsserted(
                  () -> {
                    String probe = admin.xadd("rpc:{Orders}:requests", Map.of("probe", "1"));
                    assertThat(Long.parseLong(probe.substring(0, probe.indexOf('-'))))
                        .isLessThan(now + 60_000);
                  });
        } finally {
          // 6. Withdrawal: ZREM, CLIENT UNBLOCK of the blocked XREADGROUP, DEL, and leaving the
          // group (XPENDING, XGROUP DELCONSUMER).
          server.close();
        }
      }

      // Not one command was refused along the way, but for Lettuce's CLIENT SETINFO at connect,
      // which it sends on every connection and whose failure it ignores. Redis 7.2+ logs it as
      // client|setinfo; 6.2 only as client (so there a refused CLIENT UNBLOCK would go unseen;
      // a refused CLIENT ID fails the connection anyway).
      List<Map<String, Object>> log = admin.aclLog();
      assertThat(
              log.stream()
                  .filter(
                      e -> {
                        String object = String.valueOf(e.get("object"));
                        return !object.equals("client|setinfo")
                            && (redis7 || !object.equals("client"));
                      })
                  .map(String::valueOf))
          .as("ACL LOG")
          .isEmpty();

      assertClientUserIsConfined(clientDsn, redis7);
      assertServerUserIsConfined(serverDsn, redis7);
    } finally {
      raw.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  private static void assertClientUserIsConfined(String dsn, boolean redis7) {
    // A client of Orders cannot call another service: it may not even subscribe to its replies.
    assertThatThrownBy(() -> RpcClient.create(Other.class).connect(dsn))
        .isInstanceOf(NotConnectedException.class)
        .hasMessageContaining("NOPERM");
    // Nor serve Orders: announcing an instance (HEARTBEAT's ZADD) is refused.
    assertThatThrownBy(
            () -> RpcServer.create(Orders.class, (Orders) new OrdersImpl()).connect(dsn).close())
        .isInstanceOf(NotConnectedException.class)
        .hasMessageContaining("NOPERM");

    RedisClient raw = RedisClient.create(dsn);
    try (StatefulRedisConnection<String, String> connection = raw.connect();
        StatefulRedisPubSubConnection<String, String> sub = raw.connectPubSub()) {
      RedisCommands<String, String> c = connection.sync();
      String stream = "rpc:{Orders}:requests";
      assertNoPerm(
          () ->
              c.xreadgroup(
                  Consumer.from("servers", "thief"), XReadArgs.StreamOffset.lastConsumed(stream)));
      assertNoPerm(() -> c.xrange(stream, io.lettuce.core.Range.unbounded()));
      assertNoPerm(() -> c.zadd("rpc:{Orders}:instances", 1e15, "fake-server"));
      assertNoPerm(() -> c.del(stream));
      // Nothing outside the request stream and the instances: e.g. no forged dead letters.
      assertNoPerm(() -> c.xadd("rpc:{Orders}:dead", Map.of("id", "0-1")));
      assertNoPerm(() -> c.xadd("rpc:{Other}:requests", Map.of("codec", "json")));
      assertNoPerm(() -> c.get("rpc:{Other}:instances"));
      assertNoPerm(() -> c.keys("*"));
      // Scripts run with the caller's permissions: EVAL is no way around them.
      assertNoPerm(
          () ->
              c.eval(
                  "return redis.call('XREADGROUP', 'GROUP', 'servers', 'thief', 'STREAMS',"
                      + " KEYS[1], '>')",
                  ScriptOutputType.MULTI,
                  stream));
      assertNoPerm(
          () ->
              c.eval(
                  "return redis.call('ZADD', KEYS[1], 1e15, 'fake-server')",
                  ScriptOutputType.INTEGER,
                  "rpc:{Orders}:instances"));
      if (redis7) {
        // PUBLISH only on the cancel channel (no forged replies), SUBSCRIBE only on replies.
        assertNoPerm(() -> c.publish("rpc:{Orders}:reply:someone", "forged reply"));
        assertNoPerm(() -> sub.sync().subscribe("rpc:{Orders}:cancel"));
      }
      assertNoPerm(() -> sub.sync().subscribe("rpc:{Other}:reply:x"));
    } finally {
      raw.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  private static void assertServerUserIsConfined(String dsn, boolean redis7) {
    assertThatThrownBy(() -> RpcServer.create(Other.class, () -> "pong").connect(dsn))
        .isInstanceOf(NotConnectedException.class)
        .hasMessageContaining("NOPERM");
    RedisClient raw = RedisClient.create(dsn);
    try (StatefulRedisConnection<String, String> connection = raw.connect()) {
      RedisCommands<String, String> c = connection.sync();
      assertNoPerm(
          () ->
              c.xreadgroup(
                  Consumer.from("servers", "thief"),
                  XReadArgs.StreamOffset.lastConsumed("rpc:{Other}:requests")));
      assertNoPerm(() -> c.publish("rpc:{Other}:reply:someone", "forged reply"));
      assertNoPerm(() -> c.publish("elsewhere", "spam"));
      assertNoPerm(() -> c.set("rpc:{Other}:descriptor", "{}"));
      assertNoPerm(() -> c.get("session:42"));
      if (redis7) {
        // The shared index of services: SADD only.
        assertNoPerm(() -> c.del("rpc:services"));
      }
      assertNoPerm(c::flushall);
      assertNoPerm(() -> c.configGet("*"));
    } finally {
      raw.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  private static void assertNoPerm(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    // Inside a script Redis words it differently: "The user executing the script can't run ...".
    assertThatThrownBy(call)
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .containsAnyOf("NOPERM", "user executing the script can't run"));
  }

  private static void setUser(
      RedisCommands<String, String> admin, String user, List<String> rules) {
    CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add(user);
    rules.forEach(args::add);
    assertThat(admin.dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args))
        .isEqualTo("OK");
  }
}
