package io.redisrpc.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redisrpc.Endpoint;
import io.redisrpc.NotConnectedException;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.StatusCode;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.RedisProxy;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A connection lost while ENQUEUE is on its way leaves the caller not knowing whether the request
 * was appended: such a call waits for its reply or its deadline, is never reported as not sent, and
 * is never sent twice.
 */
@WithRedis
class AmbiguousSendTest {
  @RpcService("Ambiguous")
  public interface Once {
    /** At-most-once. */
    @Endpoint
    CompletableFuture<Integer> charge(int cents);
  }

  static final class Ledger implements Once {
    final AtomicInteger runs = new AtomicInteger();

    @Override
    public CompletableFuture<Integer> charge(int cents) {
      return CompletableFuture.completedFuture(runs.incrementAndGet());
    }
  }

  @Test
  void enqueueWhoseAnswerIsLostEndsWithItsResultAndRunsOnce(RedisProcess redis) throws Exception {
    Ledger ledger = new Ledger();
    try (RedisProxy proxy = RedisProxy.to(redis);
        RpcServer server = RpcServer.create(Once.class, (Once) ledger).connect(redis.uri());
        RpcClient<Once> client =
            RpcClient.builder(Once.class)
                .timeout(Duration.ofSeconds(20))
                .build()
                .connect(proxy.uri())) {
      assertThat(client.proxy().charge(1).get(10, TimeUnit.SECONDS)).isEqualTo(1);
      // The script reaches Redis and runs; its answer never reaches the client.
      proxy.loseReplyTo("EVALSHA");
      CompletableFuture<Integer> charged = client.proxy().charge(2);
      assertThat(charged.get(15, TimeUnit.SECONDS)).isEqualTo(2);
      assertThat(proxy.lostReplies()).isEqualTo(1);
      // Lettuce did not send the lost script again once reconnected: the next call to run is
      // the third (calls made while it reconnects fail at once, unsent).
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptionsInstanceOf(ExecutionException.class)
          .until(() -> client.proxy().charge(3).get(10, TimeUnit.SECONDS) == 3);
      assertThat(ledger.runs).hasValue(3);
    }
  }

  @Test
  void callSentWhileRedisIsUnreachableFailsAtOnceWithUnavailable(RedisProcess redis)
      throws Exception {
    Ledger ledger = new Ledger();
    try (RedisProxy proxy = RedisProxy.to(redis);
        RpcServer server = RpcServer.create(Once.class, (Once) ledger).connect(redis.uri());
        RpcClient<Once> client =
            RpcClient.builder(Once.class)
                .timeout(Duration.ofSeconds(20))
                .build()
                .connect(proxy.uri())) {
      proxy.refuseConnections(true);
      proxy.dropConnections();
      // Never written, so certainly not run: the caller may try again.
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThatThrownBy(() -> client.proxy().charge(1).get(1, TimeUnit.SECONDS))
                      .isInstanceOf(ExecutionException.class)
                      .cause()
                      .isInstanceOfSatisfying(
                          NotConnectedException.class,
                          e -> {
                            assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
                            assertThat(e).hasMessageContaining("not connected");
                          }));
      assertThat(ledger.runs).hasValue(0);
    }
  }
}
