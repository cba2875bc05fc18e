package io.redisrpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Calls that wait at the same moment share Redis commands; a lone call never waits for company. */
@WithRedis
class CommandSharingTest {
  @RpcService("Sharing")
  public interface Sharing {
    @Endpoint
    CompletableFuture<Integer> echo(int value);
  }

  @Test
  void callsMadeTogetherShareEnqueuesAndRepliesAndEachGetsItsOwnResult(RedisProcess redis)
      throws Exception {
    int calls = 500;
    try (RedisRpc root = RedisRpc.create(redis.uri());
        RpcServer server =
            RpcServer.builder(Sharing.class, (Sharing) CompletableFuture::completedFuture)
                .maxConcurrency(calls)
                .build()
                .connect(root);
        RpcClient<Sharing> client = RpcClient.create(Sharing.class).connect(root)) {
      resetStats(redis);
      List<CompletableFuture<Integer>> replies = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        replies.add(client.proxy().echo(i));
      }
      for (int i = 0; i < calls; i++) {
        assertThat(replies.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i);
      }
      // One liveness check (ZCOUNT) per enqueue script, one PUBLISH per reply message.
      assertThat(calls(redis, "xadd")).isEqualTo(calls);
      assertThat(calls(redis, "zcount")).isLessThan(calls / 2);
      assertThat(calls(redis, "publish")).isLessThan(calls / 2);
    }
  }

  @Test
  void aLoneCallLeavesAtOnceAndAloneEachTime(RedisProcess redis) throws Exception {
    try (RedisRpc root = RedisRpc.create(redis.uri());
        RpcServer server =
            RpcServer.create(Sharing.class, (Sharing) CompletableFuture::completedFuture)
                .connect(root);
        RpcClient<Sharing> client = RpcClient.create(Sharing.class).connect(root)) {
      resetStats(redis);
      for (int i = 0; i < 20; i++) {
        assertThat(client.proxy().echo(i).get(10, TimeUnit.SECONDS)).isEqualTo(i);
      }
      assertThat(calls(redis, "zcount")).isEqualTo(20);
      assertThat(calls(redis, "publish")).isEqualTo(20);
    }
  }

  private static void resetStats(RedisProcess redis) {
    RedisClient c = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, String> conn = c.connect()) {
      conn.sync().configResetstat();
    } finally {
      c.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  private static long calls(RedisProcess redis, String command) {
    RedisClient c = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, String> conn = c.connect()) {
      Matcher m =
          Pattern.compile("cmdstat_" + command + ":calls=(\\d+)")
              .matcher(conn.sync().info("commandstats"));
      return m.find() ? Long.parseLong(m.group(1)) : 0;
    } finally {
      c.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }
}
