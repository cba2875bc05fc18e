package io.redisrpc.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcException;
import io.redisrpc.RpcServer;
import io.redisrpc.StatusCode;
import io.redisrpc.streaming.Collector;
import io.redisrpc.streaming.Ticker;
import io.redisrpc.streaming.TickerService;
import io.redisrpc.streaming.Ticks;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A stream whose server dies (SIGKILL, no goodbye) ends with {@code UNAVAILABLE}, never as if it
 * were complete, long before its deadline; and no other instance runs it again.
 */
@WithRedis
class StreamCrashTest {
  /** An instance that must never run a stream another one started. */
  static final class Untouched extends TickerService {
    final CountDownLatch ran = new CountDownLatch(1);

    @Override
    protected Flow.Publisher<Integer> made(Ticker ticker) {
      ran.countDown();
      return ticker;
    }
  }

  /**
   * A client that would wait for its streams for minutes: only a dead server's silence ends them.
   */
  private static RpcClient<Ticks> patientClient(RedisProcess redis) {
    return RpcClient.builder(Ticks.class)
        .timeout(Duration.ofMinutes(5))
        .build()
        .connect(redis.uri());
  }

  @Test
  void serverKilledMidStreamEndsTheStreamWithUnavailable(RedisProcess redis) throws Exception {
    try (ChildServer child = ChildServer.start(StreamServerMain.class, redis.uri(), "-");
        RpcClient<Ticks> client = patientClient(redis)) {
      Collector<Integer> caller = new Collector<>(2);
      client.proxy().endless().subscribe(caller);
      assertThat(caller.next()).isZero();
      assertThat(caller.next()).isEqualTo(1);

      child.kill();

      Throwable error = caller.awaitEnd(60);
      assertThat(error).isInstanceOf(RpcException.class);
      assertThat(((RpcException) error).code()).isEqualTo(StatusCode.UNAVAILABLE);
      assertThat(caller.items).containsExactly(0, 1);
      assertThat(client.pendingCalls()).isZero();
    }
  }

  @Test
  void aStreamWhoseServerDiedIsNotRunAgainByAnother(RedisProcess redis) throws Exception {
    Untouched other = new Untouched();
    try (ChildServer child = ChildServer.start(StreamServerMain.class, redis.uri(), "-");
        RpcClient<Ticks> client = patientClient(redis)) {
      Collector<Integer> caller = new Collector<>(1);
      client.proxy().endless().subscribe(caller);
      child.awaitLine("STREAMING", 30);
      assertThat(caller.next()).isZero();
      try (RpcServer survivor =
          RpcServer.builder(Ticks.class, (Ticks) other)
              .visibilityTimeout(Duration.ofMillis(200))
              .build()
              .connect(redis.uri())) {
        child.kill();

        Throwable error = caller.awaitEnd(60);
        assertThat(error).isInstanceOf(RpcException.class);
        assertThat(((RpcException) error).code()).isEqualTo(StatusCode.UNAVAILABLE);
        // The survivor took the entry over (it is gone from the stream) and did not run it.
        RedisClient lettuce = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = lettuce.connect()) {
          Awaitility.await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> connection.sync().xlen("rpc:{Ticks}:requests") == 0);
        } finally {
          lettuce.shutdown();
        }
        assertThat(other.ran.getCount()).as("the survivor never ran the stream").isEqualTo(1);
      }
    }
  }
}
