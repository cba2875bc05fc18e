package io.redisrpc.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisrpc.Endpoint;
import io.redisrpc.RedisRpc;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.testing.RedisSentinel;
import io.redisrpc.testing.WithRedisSentinel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@WithRedisSentinel
class SentinelFailoverTest {
  @RpcService("Guarded")
  public interface Guarded {
    @Endpoint(idempotent = true)
    CompletableFuture<Integer> echo(int call);
  }

  @Test
  void callsResumeAfterTheSentinelsPromoteTheReplica(RedisSentinel sentinel) throws Exception {
    try (RedisRpc redis = RedisRpc.create(sentinel.uri());
        RpcServer server =
            RpcServer.create(Guarded.class, (Guarded) CompletableFuture::completedFuture)
                .connect(redis);
        RpcClient<Guarded> client =
            RpcClient.builder(Guarded.class)
                .timeout(Duration.ofSeconds(2))
                .build()
                .connect(redis)) {
      assertThat(client.proxy().echo(7).get(10, TimeUnit.SECONDS)).isEqualTo(7);
      CallLoop loop = CallLoop.start(i -> client.proxy().echo(i), Duration.ofSeconds(2));
      try {
        loop.awaitSuccesses(20, Duration.ofSeconds(30));
        long killed = System.nanoTime();
        sentinel.killPrimary();
        int before = loop.successes();
        loop.awaitSuccesses(before + 50, Duration.ofSeconds(30));
        System.out.println(
            "longest time without a successful call: " + loop.longestOutageSince(killed));
      } finally {
        loop.stop();
      }
      loop.assertEveryCallEndedInTimeWithAResultOrAnRpcException();
    }
  }
}
