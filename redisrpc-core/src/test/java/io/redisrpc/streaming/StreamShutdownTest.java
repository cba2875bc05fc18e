package io.redisrpc.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisrpc.RpcClient;
import io.redisrpc.RpcException;
import io.redisrpc.RpcServer;
import io.redisrpc.StatusCode;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Closing a server does not wait for streams that may have no end: it ends them. */
@WithRedis
class StreamShutdownTest {
  @Test
  void closingTheServerEndsItsStreamsWithUnavailable(RedisProcess redis) throws Exception {
    KeptTickers impl = new KeptTickers();
    RpcServer server =
        RpcServer.builder(Ticks.class, (Ticks) impl)
            .shutdownTimeout(Duration.ofMinutes(2))
            .build()
            .connect(redis.uri());
    try (RpcClient<Ticks> client =
        RpcClient.builder(Ticks.class)
            .timeout(Duration.ofMinutes(5))
            .build()
            .connect(redis.uri())) {
      Collector<Integer> caller = new Collector<>(1);
      client.proxy().endless().subscribe(caller);
      assertThat(caller.next()).isZero();

      server.close();

      Throwable error = caller.awaitEnd(30);
      assertThat(error).isInstanceOf(RpcException.class);
      assertThat(((RpcException) error).code()).isEqualTo(StatusCode.UNAVAILABLE);
      assertThat(((RpcException) error).getMessage()).contains("is closing");
      Ticker handler = impl.next();
      assertThat(handler.cancelled.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
