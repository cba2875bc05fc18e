package io.redisrpc.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisrpc.Endpoint;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Instances with different heartbeat intervals share one set; none expires another. */
@WithRedis
class InstanceLivenessTest {
  @RpcService("Liveness")
  public interface Svc {
    @Endpoint
    String hello(String name);
  }

  @Test
  void anInstanceWithAShortHeartbeatNeverExpiresOneWithALongOne(RedisProcess redis) {
    try (RawRedis raw = RawRedis.connect(redis.uri());
        RpcServer slow =
            RpcServer.builder(Svc.class, (Svc) name -> "slow " + name)
                .heartbeatInterval(Duration.ofSeconds(5))
                .build()
                .connect(redis.uri());
        RpcClient<Svc> client = RpcClient.create(Svc.class).connect(redis.uri())) {
      RpcServer fast =
          RpcServer.builder(Svc.class, (Svc) name -> "fast " + name)
              .heartbeatInterval(Duration.ofMillis(20))
              .build()
              .connect(redis.uri());
      // Let the fast instance beat many times, then leave.
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  raw.sync().pttl("rpc:{Liveness}:instances") > 0
                      && raw.sync().zcard("rpc:{Liveness}:instances") == 2);
      fast.close();
      // Long after the fast one's ttl, and well within the slow one's, the slow one is live.
      Awaitility.await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(5))
          .until(() -> raw.sync().zscore("rpc:{Liveness}:instances", slow.instanceId()) != null);
      assertThat(client.proxy().hello("x")).isEqualTo("slow x");
    }
  }
}
