package io.redisrpc.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisrpc.DeadlineExceededException;
import io.redisrpc.Endpoint;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcException;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.StatusCode;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@WithRedis
class RedisRestartTest {
  @RpcService("Restart")
  public interface Echo {
    @Endpoint
    CompletableFuture<Integer> echo(int n);
  }

  /** How a call ended, and how long after its start. */
  record Outcome(int n, boolean ok, Throwable error, long millis) {}

  /** When the server started and finished each call, by argument (System.nanoTime). */
  record Run(long startedAt, long finishedAt) {}

  /** Answers each call 200 ms after it started, so that calls are running as Redis goes. */
  static final class SlowEcho implements Echo {
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final Map<Integer, Long> started = new ConcurrentHashMap<>();
    final Map<Integer, Run> runs = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Integer> echo(int n) {
      long start = System.nanoTime();
      started.put(n, start);
      CompletableFuture<Integer> result = new CompletableFuture<>();
      timer.schedule(
          () -> {
            runs.put(n, new Run(start, System.nanoTime()));
            result.complete(n);
          },
          200,
          TimeUnit.MILLISECONDS);
      return result;
    }
  }

  @Test
  void callsRunningWhileRedisRestartsGetTheirRepliesAndNoneHangs(RedisProcess redis)
      throws Exception {
    Duration timeout = Duration.ofSeconds(5);
    SlowEcho impl = new SlowEcho();
    try (RpcServer server = RpcServer.create(Echo.class, (Echo) impl).connect(redis.uri());
        RpcClient<Echo> client =
            RpcClient.builder(Echo.class).timeout(timeout).build().connect(redis.uri())) {
      Semaphore slots = new Semaphore(64);
      AtomicBoolean stop = new AtomicBoolean();
      ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
      List<CompletableFuture<?>> all = new ArrayList<>();
      Thread load =
          new Thread(
              () -> {
                for (int n = 0; !stop.get(); n++) {
                  try {
                    if (!slots.tryAcquire(5, TimeUnit.SECONDS)) {
                      continue;
                    }
                  } catch (InterruptedException e) {
                    return;
                  }
                  long start = System.nanoTime();
                  int arg = n;
                  CompletableFuture<?> call =
                      client
                          .proxy()
                          .echo(arg)
                          .handle(
                              (value, error) -> {
                                long millis = (System.nanoTime() - start) / 1_000_000;
                                outcomes.add(
                                    new Outcome(arg, error == null && value == arg, error, millis));
                                slots.release();
                                return null;
                              });
                  synchronized (all) {
                    all.add(call);
                  }
                }
              });
      load.start();
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> outcomes.size() > 300);

      long stoppingAt = System.nanoTime();
      redis.stop();
      long downAt = System.nanoTime(); // the old process has exited
      redis.restart();

      // Calls succeed again within a few seconds of Redis coming back.
      int before = outcomes.size();
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> outcomes.stream().skip(before).filter(Outcome::ok).count() > 200);
      stop.set(true);
      load.join(TimeUnit.SECONDS.toMillis(10));
      List<CompletableFuture<?>> calls;
      synchronized (all) {
        calls = new ArrayList<>(all);
      }
      // Every call ended, none hangs.
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      assertThat(outcomes).hasSize(calls.size());
      int acrossTheRestart = 0;
      for (Outcome outcome : outcomes) {
        // By its deadline (plus scheduling slack on a busy 2-core machine).
        assertThat(outcome.millis()).isLessThan(timeout.toMillis() + 1_000);
        Run run = impl.runs.get(outcome.n());
        if (run != null && run.finishedAt() > downAt) {
          // Answered once Redis was gone (or after it came back): its reply waits for Redis and
          // for the client's subscription, and arrives. Only a call Redis lost with its queue,
          // or whose reply it lost as it stopped, may time out.
          assertThat(outcome.ok())
              .as("call %d, answered after Redis went down: %s", outcome.n(), outcome.error())
              .isTrue();
        }
        if (run != null && run.startedAt() < downAt && run.finishedAt() > stoppingAt) {
          // Running while Redis went down (stopping it takes a while on a busy machine).
          acrossTheRestart++;
        }
        if (!outcome.ok()) {
          Throwable e =
              outcome.error() instanceof CompletionException
                  ? outcome.error().getCause()
                  : outcome.error();
          assertThat(e).isInstanceOf(RpcException.class);
          assertThat(((RpcException) e).code())
              .isIn(StatusCode.UNAVAILABLE, StatusCode.DEADLINE_EXCEEDED);
          if (((RpcException) e).code() == StatusCode.DEADLINE_EXCEEDED) {
            assertThat(e).isInstanceOf(DeadlineExceededException.class);
          }
        }
      }
      assertThat(acrossTheRestart).as("calls running while Redis restarted").isPositive();
      assertThat(client.pendingCalls()).isZero();
    } finally {
      impl.timer.shutdownNow();
    }
  }
}
