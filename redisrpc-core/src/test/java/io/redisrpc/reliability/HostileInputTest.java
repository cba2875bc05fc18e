package io.redisrpc.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.redisrpc.Codec;
import io.redisrpc.Endpoint;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

@WithRedis
class HostileInputTest {
  @RpcService("Fuzz")
  public interface Target {
    @Endpoint
    CompletableFuture<List<Integer>> scale(List<Integer> values, int factor);

    @Endpoint(idempotent = true)
    CompletableFuture<String> greet(String name);
  }

  static final Target IMPL =
      new Target() {
        @Override
        public CompletableFuture<List<Integer>> scale(List<Integer> values, int factor) {
          return CompletableFuture.completedFuture(values.stream().map(v -> v * factor).toList());
        }

        @Override
        public CompletableFuture<String> greet(String name) {
          return CompletableFuture.completedFuture("hello " + name);
        }
      };

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Ten thousand entries a stranger might write: random, mutated, well-formed but wrong. */
  static List<Map<byte[], byte[]>> hostileEntries(Random random, String replyTo, int count) {
    String template =
        "{\"id\":\"fuzz-%d\",\"reply_to\":\"%s\",\"method\":\"scale\",\"timeout_ms\":5000,"
            + "\"headers\":{\"k\":\"v\"},\"args\":[[1,2,3],2]}";
    String[] wellFormedButWrong = {
      "{\"id\":\"fuzz-%d\",\"reply_to\":\"%s\",\"method\":\"nope\",\"args\":[]}",
      "{\"id\":\"fuzz-%d\",\"reply_to\":\"%s\",\"method\":\"scale\",\"args\":[[1],2,3]}",
      "{\"id\":\"fuzz-%d\",\"reply_to\":\"%s\",\"method\":\"scale\",\"args\":[\"x\",\"y\"]}",
      "{\"id\":\"fuzz-%d\",\"reply_to\":\"%s\",\"method\":\"scale\",\"args\":{\"a\":1}}",
      "{\"id\":%d,\"reply_to\":\"%s\",\"method\":\"scale\",\"args\":[]}",
      "{\"id\":\"fuzz-%d\",\"reply_to\":\"evil:%s\",\"method\":\"greet\",\"args\":[\"x\"]}",
      "{\"id\":\"fuzz-%d\",\"reply_to\":\"%s\",\"method\":\"greet\",\"timeout_ms\":\"soon\","
          + "\"args\":[\"x\"]}",
      "{\"id\":\"fuzz-%d\",\"reply_to\":\"%s\",\"method\":\"greet\",\"headers\":[1],\"args\":[1]}",
      "[\"fuzz-%d\",\"%s\"]",
      "{\"id\":\"fuzz-%d\",\"reply_to\":\"%s\",\"method\":\"greet\",\"args\":["
          + "[".repeat(3000)
          + "]}",
    };
    List<Map<byte[], byte[]>> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Map<byte[], byte[]> fields = new LinkedHashMap<>();
      int kind = random.nextInt(6);
      switch (kind) {
        case 0:
          byte[] noise = new byte[random.nextInt(200)];
          random.nextBytes(noise);
          fields.put(bytes(random.nextBoolean() ? "json" : "msgpack"), noise);
          fields.put(bytes("codec"), bytes(random.nextBoolean() ? "json" : "msgpack"));
          fields.put(bytes("payload"), noise);
          break;
        case 1:
          byte[] mutated = bytes(String.format(template, i, replyTo));
          for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
            mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
          }
          fields.put(bytes("codec"), bytes("json"));
          fields.put(bytes("payload"), mutated);
          break;
        case 2:
          String wrong = wellFormedButWrong[random.nextInt(wellFormedButWrong.length)];
          fields.put(bytes("codec"), bytes("json"));
          fields.put(bytes("payload"), bytes(String.format(wrong, i, replyTo)));
          break;
        case 3:
          fields.put(bytes("codec"), bytes(random.nextBoolean() ? "xml" : ""));
          fields.put(bytes("payload"), bytes(String.format(template, i, replyTo)));
          break;
        case 4:
          fields.put(bytes("unexpected"), bytes("field"));
          break;
        default:
          byte[] truncated = bytes(String.format(template, i, replyTo));
          byte[] cut = new byte[random.nextInt(truncated.length)];
          System.arraycopy(truncated, 0, cut, 0, cut.length);
          fields.put(bytes("codec"), bytes("json"));
          fields.put(bytes("payload"), cut);
      }
      entries.add(fields);
    }
    // And a few over the size limit.
    for (int i = 0; i < 3; i++) {
      Map<byte[], byte[]> huge = new LinkedHashMap<>();
      huge.put(bytes("codec"), bytes("json"));
      huge.put(bytes("payload"), new byte[2 << 20]);
      entries.add(huge);
    }
    return entries;
  }

  @Test
  void strangersWritingIntoTheStreamAndReplyChannelNeverFailLegitimateCalls(RedisProcess redis)
      throws Exception {
    Random random = new Random(42);
    RedisClient raw = RedisClient.create(redis.uri());
    try (RpcServer server =
            RpcServer.builder(Target.class, IMPL).maxConcurrency(32).build().connect(redis.uri());
        RpcClient<Target> json = RpcClient.create(Target.class).connect(redis.uri());
        RpcClient<Target> msgpack =
            RpcClient.builder(Target.class)
                .codec(Codec.MSGPACK)
                .timeout(Duration.ofSeconds(30))
                .build()
                .connect(redis.uri());
        StatefulRedisConnection<byte[], byte[]> attacker = raw.connect(ByteArrayCodec.INSTANCE)) {
      String victimChannel = "rpc:{Fuzz}:reply:" + json.clientId();
      AtomicBoolean fuzzing = new AtomicBoolean(true);
      List<CompletableFuture<Void>> legit = new ArrayList<>();
      Thread caller =
          new Thread(
              () -> {
                for (int n = 0; fuzzing.get() || n < 200; n++) {
                  int k = n;
                  RpcClient<Target> client = n % 2 == 0 ? json : msgpack;
                  CompletableFuture<Void> a =
                      client
                          .proxy()
                          .scale(List.of(k, k + 1), 3)
                          .thenAccept(r -> assertThat(r).containsExactly(3 * k, 3 * (k + 1)));
                  CompletableFuture<Void> b =
                      client
                          .proxy()
                          .greet("n" + k)
                          .thenAccept(r -> assertThat(r).isEqualTo("hello n" + k));
                  synchronized (legit) {
                    legit.add(a);
                    legit.add(b);
                  }
                  a.join();
                }
              });
      caller.start();

      List<Map<byte[], byte[]>> entries = hostileEntries(random, victimChannel, 10_000);
      List<RedisFuture<?>> writes = new ArrayList<>();
      for (Map<byte[], byte[]> entry : entries) {
        if (entry.isEmpty()) {
          continue;
        }
        writes.add(attacker.async().xadd(bytes("rpc:{Fuzz}:requests"), entry));
      }
      for (int i = 0; i < 2_000; i++) {
        byte[] message;
        if (i % 2 == 0) {
          message = new byte[random.nextInt(100)];
          random.nextBytes(message);
        } else {
          message =
              bytes(
                  "{\"id\":\"fuzz-"
                      + i
                      + "\",\"result\":[1],\"error\":"
                      + (random.nextBoolean() ? "null" : "{\"code\":7}")
                      + "}");
        }
        writes.add(attacker.async().publish(bytes(victimChannel), message));
      }
      for (RedisFuture<?> write : writes) {
        write.get(30, TimeUnit.SECONDS);
      }
      // Every hostile entry is eventually taken off the stream.
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> attacker.sync().xlen(bytes("rpc:{Fuzz}:requests")) == 0);
      fuzzing.set(false);
      caller.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(caller.isAlive()).isFalse();
      List<CompletableFuture<Void>> calls;
      synchronized (legit) {
        calls = new ArrayList<>(legit);
      }
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      assertThat(calls).allSatisfy(c -> assertThat(c).isCompleted());

      assertThat(server.isRunning()).isTrue();
      assertThat(json.proxy().greet("after").get(10, TimeUnit.SECONDS)).isEqualTo("hello after");
      // Requests that could not be answered were counted; the rest got error replies, which the
      // victim dropped as answers to calls it never made.
      assertThat(server.rejectedMessages()).isGreaterThan(1_000);
      assertThat(json.droppedReplies()).isGreaterThan(1_000);
    } finally {
      raw.shutdown();
    }
  }
}
