package io.redisrpc.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redisrpc.DeadlineExceededException;
import io.redisrpc.Endpoint;
import io.redisrpc.RemoteException;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcException;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.StatusCode;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One status code, one exception type; a caller that woke never sees its call still pending. */
@WithRedis
class OneStatusOneTypeTest {
  @RpcService("Status")
  public interface Svc {
    @Endpoint
    int echo(int n);

    @Endpoint
    CompletableFuture<Integer> echoAsync(int n);

    @Endpoint
    String late();
  }

  static final class SvcImpl implements Svc {
    @Override
    public int echo(int n) {
      return n;
    }

    @Override
    public CompletableFuture<Integer> echoAsync(int n) {
      return CompletableFuture.completedFuture(n);
    }

    @Override
    public String late() {
      throw new RpcException(StatusCode.DEADLINE_EXCEEDED, "the backend did not answer in time");
    }
  }

  @Test
  void deadlineExceededAnsweredByTheServerArrivesAsDeadlineExceededException(RedisProcess redis) {
    try (RpcServer server = RpcServer.create(Svc.class, (Svc) new SvcImpl()).connect(redis.uri());
        RpcClient<Svc> client = RpcClient.create(Svc.class).connect(redis.uri())) {
      assertThatThrownBy(() -> client.proxy().late())
          .isInstanceOfSatisfying(
              DeadlineExceededException.class,
              e -> {
                assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED);
                assertThat(e).hasMessageContaining("the backend did not answer in time");
                assertThat(e.getCause())
                    .isInstanceOfSatisfying(
                        RemoteException.class,
                        r ->
                            assertThat(r.remoteMessage())
                                .isEqualTo("the backend did not answer in time"));
              });
    }
  }

  @Test
  void deadlineExceededIsOneTypeWhicheverSideNoticesFirst(RedisProcess redis) throws Exception {
    // At 30 ms the client's timer and the server's deadline race; both answers are one type.
    try (RpcServer server =
            RpcServer.builder(Svc.class, (Svc) new SvcImpl())
                .maxConcurrency(1)
                .build()
                .connect(redis.uri());
        RpcClient<Svc> client =
            RpcClient.builder(Svc.class)
                .timeout(Duration.ofMillis(30))
                .build()
                .connect(redis.uri())) {
      for (int i = 0; i < 150; i++) {
        try {
          client.proxy().echoAsync(i).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          assertThat(cause).isInstanceOf(RpcException.class);
          if (((RpcException) cause).code() == StatusCode.DEADLINE_EXCEEDED) {
            assertThat(cause).isInstanceOf(DeadlineExceededException.class);
          }
        }
      }
    }
  }

  @Test
  void aCallThatReturnedIsNoLongerPending(RedisProcess redis) throws Exception {
    try (RpcServer server = RpcServer.create(Svc.class, (Svc) new SvcImpl()).connect(redis.uri());
        RpcClient<Svc> client = RpcClient.create(Svc.class).connect(redis.uri())) {
      for (int i = 0; i < 500; i++) {
        assertThat(client.proxy().echo(i)).isEqualTo(i);
        assertThat(client.pendingCalls()).as("after call %d", i).isZero();
        assertThat(client.proxy().echoAsync(i).get(10, TimeUnit.SECONDS)).isEqualTo(i);
        assertThat(client.pendingCalls()).as("after async call %d", i).isZero();
      }
    }
  }
}
