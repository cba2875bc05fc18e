package io.redisrpc.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redisrpc.DeadlineExceededException;
import io.redisrpc.Endpoint;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcException;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.StatusCode;
import io.redisrpc.topology.OnEveryTopology;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CancellationAndDeadlineTest extends OnEveryTopology {
  private static final String CANCEL_CHANNEL = "rpc:{Cancel}:cancel";

  @RpcService("Cancel")
  public interface Gate {
    /** Blocks until released or interrupted. */
    @Endpoint
    String hold(String name) throws InterruptedException;

    @Endpoint
    CompletableFuture<String> holdAsync(String name);

    @Endpoint
    CompletableFuture<String> holdAsyncClient(String name);
  }

  /** The client's view of {@link Gate} where the blocking endpoint is called asynchronously. */
  @RpcService("Cancel")
  public interface AsyncGate {
    @Endpoint(name = "hold")
    CompletableFuture<String> hold(String name);

    @Endpoint
    CompletableFuture<String> holdAsync(String name);
  }

  static final class Recording implements Gate {
    final Map<String, AtomicInteger> started = new ConcurrentHashMap<>();
    final Map<String, CountDownLatch> startedLatch = new ConcurrentHashMap<>();
    final Map<String, CountDownLatch> interrupted = new ConcurrentHashMap<>();
    final Map<String, CompletableFuture<String>> asyncResults = new ConcurrentHashMap<>();
    final CountDownLatch release = new CountDownLatch(1);

    CountDownLatch startedLatch(String name) {
      return startedLatch.computeIfAbsent(name, n -> new CountDownLatch(1));
    }

    CountDownLatch interrupted(String name) {
      return interrupted.computeIfAbsent(name, n -> new CountDownLatch(1));
    }

    int starts(String name) {
      AtomicInteger n = started.get(name);
      return n == null ? 0 : n.get();
    }

    @Override
    public String hold(String name) throws InterruptedException {
      started.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
      startedLatch(name).countDown();
      try {
        release.await(60, TimeUnit.SECONDS);
        return name;
      } catch (InterruptedException e) {
        interrupted(name).countDown();
        throw e;
      }
    }

    @Override
    public CompletableFuture<String> holdAsync(String name) {
      started.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
      CompletableFuture<String> result = new CompletableFuture<>();
      result.whenComplete(
          (v, e) -> {
            if (result.isCancelled()) {
              interrupted(name).countDown();
            }
          });
      asyncResults.put(name, result);
      startedLatch(name).countDown();
      return result;
    }

    @Override
    public CompletableFuture<String> holdAsyncClient(String name) {
      return holdAsync(name);
    }
  }

  @Test
  void cancellingTheCallersFutureInterruptsTheRunningHandler() throws Exception {
    Recording impl = new Recording();
    try (RpcServer server = RpcServer.create(Gate.class, (Gate) impl).connect(uri());
        RpcClient<AsyncGate> client = RpcClient.create(AsyncGate.class).connect(uri())) {
      CompletableFuture<String> call = client.proxy().hold("a");
      assertThat(impl.startedLatch("a").await(10, TimeUnit.SECONDS)).isTrue();
      call.cancel(true);
      assertThat(impl.interrupted("a").await(10, TimeUnit.SECONDS))
          .as("the handler saw its interruption")
          .isTrue();
      assertThat(client.pendingCalls()).isZero();
    }
  }

  @Test
  void cancellingTheCallerCancelsTheFutureOfAnAsyncHandler() throws Exception {
    Recording impl = new Recording();
    try (RpcServer server = RpcServer.create(Gate.class, (Gate) impl).connect(uri());
        RpcClient<AsyncGate> client = RpcClient.create(AsyncGate.class).connect(uri())) {
      CompletableFuture<String> call = client.proxy().holdAsync("b");
      assertThat(impl.startedLatch("b").await(10, TimeUnit.SECONDS)).isTrue();
      call.cancel(true);
      assertThat(impl.interrupted("b").await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(impl.asyncResults.get("b")).isCancelled();
    }
  }

  @Test
  void interruptingABlockedCallerInterruptsTheHandler() throws Exception {
    Recording impl = new Recording();
    try (RpcServer server = RpcServer.create(Gate.class, (Gate) impl).connect(uri());
        RpcClient<Gate> client = RpcClient.create(Gate.class).connect(uri())) {
      CompletableFuture<Throwable> failure = new CompletableFuture<>();
      Thread caller =
          new Thread(
              () -> {
                try {
                  client.proxy().hold("c");
                  failure.complete(null);
                } catch (Throwable t) {
                  failure.complete(t);
                }
              });
      caller.start();
      assertThat(impl.startedLatch("c").await(10, TimeUnit.SECONDS)).isTrue();
      caller.interrupt();
      assertThat(failure.get(10, TimeUnit.SECONDS))
          .isInstanceOfSatisfying(
              RpcException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.CANCELLED));
      assertThat(impl.interrupted("c").await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void cancelledQueuedCallIsNeverStarted() throws Exception {
    Recording impl = new Recording();
    try (RpcServer server =
            RpcServer.builder(Gate.class, (Gate) impl).maxConcurrency(1).build().connect(uri());
        RpcClient<AsyncGate> client = RpcClient.create(AsyncGate.class).connect(uri())) {
      CompletableFuture<String> first = client.proxy().hold("first");
      assertThat(impl.startedLatch("first").await(10, TimeUnit.SECONDS)).isTrue();
      LinkedBlockingQueue<String> notices = redis().listen(CANCEL_CHANNEL);
      CompletableFuture<String> queued = client.proxy().hold("queued");
      queued.cancel(true);
      // Cancellation is best-effort: the test releases the first call only once the notice is
      // out, as it would be long before a queued call's turn on a server with work to do.
      assertThat(notices.poll(10, TimeUnit.SECONDS)).isNotNull();
      impl.release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
      // One call at a time, in order: once "after" ran, "queued" was taken and skipped.
      assertThat(client.proxy().hold("after").get(10, TimeUnit.SECONDS)).isEqualTo("after");
      assertThat(impl.starts("queued")).isZero();
    }
  }

  @Test
  void callWhoseDeadlinePassedInTheQueueNeverRuns() throws Exception {
    Recording impl = new Recording();
    try (RpcServer server =
            RpcServer.builder(Gate.class, (Gate) impl).maxConcurrency(1).build().connect(uri());
        RpcClient<AsyncGate> client = RpcClient.create(AsyncGate.class).connect(uri())) {
      CompletableFuture<String> first = client.proxy().hold("first");
      assertThat(impl.startedLatch("first").await(10, TimeUnit.SECONDS)).isTrue();
      // A request written by hand with a 50 ms timeout: no client is left to cancel it.
      String replyTo = "rpc:{Cancel}:reply:handmade";
      LinkedBlockingQueue<String> replies = redis().listen(replyTo);
      String request =
          "{\"id\":\"late-1\",\"reply_to\":\""
              + replyTo
              + "\",\"method\":\"hold\",\"timeout_ms\":50,\"args\":[\"late\"]}";
      String entry =
          redis()
              .commands()
              .xadd("rpc:{Cancel}:requests", Map.of("codec", "json", "payload", request));
      // Keep the only slot busy until the handmade call's deadline has passed on Redis' clock.
      long deadline = Long.parseLong(entry.substring(0, entry.indexOf('-'))) + 50;
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> redis().millis() > deadline);
      assertThat(replies).isEmpty();
      impl.release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
      String reply = replies.poll(10, TimeUnit.SECONDS);
      assertThat(reply)
          .isEqualTo(
              "{\"id\":\"late-1\",\"error\":{\"code\":\"DEADLINE_EXCEEDED\","
                  + "\"message\":\"The deadline of Cancel.hold passed before it started\"}}");
      assertThat(impl.starts("late")).isZero();
    }
  }

  @Test
  void timedOutCallIsNotStartedLater() throws Exception {
    Recording impl = new Recording();
    try (RpcServer server =
            RpcServer.builder(Gate.class, (Gate) impl).maxConcurrency(1).build().connect(uri());
        RpcClient<AsyncGate> client = RpcClient.create(AsyncGate.class).connect(uri());
        RpcClient<AsyncGate> impatient =
            RpcClient.builder(AsyncGate.class)
                .timeout(Duration.ofMillis(200))
                .build()
                .connect(uri())) {
      CompletableFuture<String> first = client.proxy().hold("first");
      assertThat(impl.startedLatch("first").await(10, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> impatient.proxy().hold("late").get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(DeadlineExceededException.class);
      impl.release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
      assertThat(client.proxy().hold("after").get(10, TimeUnit.SECONDS)).isEqualTo("after");
      assertThat(impl.starts("late")).isZero();
    }
  }
}
