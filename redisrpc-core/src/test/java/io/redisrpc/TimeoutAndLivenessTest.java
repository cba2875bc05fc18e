package io.redisrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redisrpc.topology.OnEveryTopology;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TimeoutAndLivenessTest extends OnEveryTopology {
  @RpcService("Slow")
  public interface Slow {
    @Endpoint
    String slow(long millis) throws InterruptedException;

    @Endpoint(timeoutMillis = 200)
    String slowWithOwnTimeout(long millis) throws InterruptedException;

    @Endpoint
    CompletableFuture<String> slowAsync(long millis);
  }

  /** Blocks until released, so timing never decides the outcome. */
  static final class BlockingSlow implements Slow {
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public String slow(long millis) throws InterruptedException {
      release.await(millis, TimeUnit.MILLISECONDS);
      return "done";
    }

    @Override
    public String slowWithOwnTimeout(long millis) throws InterruptedException {
      return slow(millis);
    }

    @Override
    public CompletableFuture<String> slowAsync(long millis) {
      return new CompletableFuture<String>()
          .completeOnTimeout("done", millis, TimeUnit.MILLISECONDS);
    }
  }

  @Test
  void timeoutFailsTheCallAndLeavesNothingPending() {
    BlockingSlow impl = new BlockingSlow();
    try (RpcServer server = RpcServer.create(Slow.class, (Slow) impl).connect(uri());
        RpcClient<Slow> client =
            RpcClient.builder(Slow.class).timeout(Duration.ofMillis(300)).build().connect(uri())) {
      long start = System.nanoTime();
      // The client's timer or the server's own deadline, whichever fires first: one type.
      assertThatThrownBy(() -> client.proxy().slow(20_000))
          .isInstanceOf(DeadlineExceededException.class)
          .hasMessageContaining("Slow.slow")
          .extracting(e -> ((RpcException) e).code())
          .isEqualTo(StatusCode.DEADLINE_EXCEEDED);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(client.pendingCalls()).isZero();
      impl.release.countDown();
    }
  }

  @Test
  void endpointTimeoutOverridesClientTimeout() {
    BlockingSlow impl = new BlockingSlow();
    try (RpcServer server = RpcServer.create(Slow.class, (Slow) impl).connect(uri());
        RpcClient<Slow> client = RpcClient.create(Slow.class).connect(uri())) {
      long start = System.nanoTime();
      // The client's timer or the server's own deadline, whichever fires first: near 200 ms,
      // the endpoint's timeout, not at the client's 10 s.
      assertThatThrownBy(() -> client.proxy().slowWithOwnTimeout(20_000))
          .isInstanceOf(DeadlineExceededException.class)
          .hasMessageContaining("Slow.slowWithOwnTimeout");
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took)
          .isGreaterThanOrEqualTo(Duration.ofMillis(100))
          .isLessThan(Duration.ofSeconds(5));
      assertThat(client.pendingCalls()).isZero();
      impl.release.countDown();
    }
  }

  @Test
  void asyncTimeoutFailsTheFutureAndLeavesNothingPending() {
    try (RpcServer server = RpcServer.create(Slow.class, (Slow) new BlockingSlow()).connect(uri());
        RpcClient<Slow> client =
            RpcClient.builder(Slow.class).timeout(Duration.ofMillis(200)).build().connect(uri())) {
      CompletableFuture<String> reply = client.proxy().slowAsync(5_000);
      assertThatThrownBy(() -> reply.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(DeadlineExceededException.class);
      assertThat(client.pendingCalls()).isZero();
    }
  }

  @Test
  void noLiveServerFailsFastWithNotConnected() {
    try (RpcClient<Slow> client = RpcClient.create(Slow.class).connect(uri())) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> client.proxy().slow(1))
          .isInstanceOf(NotConnectedException.class)
          .hasMessage("No live server for service Slow (remote endpoint not connected)")
          .extracting(e -> ((RpcException) e).code())
          .isEqualTo(StatusCode.UNAVAILABLE);
      // Far below the 10 s timeout: the enqueue itself says nobody is there.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(client.pendingCalls()).isZero();
    }
  }

  @Test
  void callsFailFastOnceTheLastServerDisconnected() throws Exception {
    try (RpcClient<Slow> client = RpcClient.create(Slow.class).connect(uri())) {
      BlockingSlow impl = new BlockingSlow();
      impl.release.countDown();
      RpcServer server = RpcServer.create(Slow.class, (Slow) impl).connect(uri());
      assertThat(client.proxy().slow(1)).isEqualTo("done");
      server.disconnect();
      assertThatThrownBy(() -> client.proxy().slow(1)).isInstanceOf(NotConnectedException.class);
    }
  }

  @Test
  void callBeforeConnectFailsWithNotConnected() {
    RpcClient<Slow> client = RpcClient.create(Slow.class);
    assertThatThrownBy(() -> client.proxy().slow(1))
        .isInstanceOf(NotConnectedException.class)
        .hasMessage("Client of Slow is not connected: call connect(dsn) first");
  }
}
