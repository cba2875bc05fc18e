package io.redisrpc.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redisrpc.Endpoint;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcRegistry;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The gauges and counters of a server and of its service's queue, read through the public API. */
@WithRedis
class ServerAndQueueMetricsTest {
  @RpcService("Slow")
  public interface Slow {
    @Endpoint
    CompletableFuture<String> hold(String name);
  }

  /** Holds every call until released. */
  static final class Held implements Slow {
    final CompletableFuture<Void> release = new CompletableFuture<>();

    @Override
    public CompletableFuture<String> hold(String name) {
      return release.thenApply(ignored -> name);
    }
  }

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void gaugesShowCallsInFlightAndTheQueueBehindABusyServer(RedisProcess redis) throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Held held = new Held();
    try (RpcServer server =
            RpcServer.builder(Slow.class, (Slow) held)
                .maxConcurrency(1)
                .build()
                .connect(redis.uri());
        RpcClient<Slow> client = RpcClient.create(Slow.class).connect(redis.uri());
        RpcRegistry registry = RpcRegistry.connect(redis.uri())) {
      RpcServerMetrics.create(server).bindTo(meters);
      ServiceQueueMetrics.create(registry, "Slow", Duration.ZERO).bindTo(meters);
      List<CompletableFuture<String>> calls =
          List.of(client.proxy().hold("a"), client.proxy().hold("b"), client.proxy().hold("c"));

      Awaitility.await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(gauge(meters, "redisrpc.server.calls.in.flight")).isEqualTo(1);
                assertThat(gauge(meters, "redisrpc.queue.length")).isEqualTo(3);
                assertThat(gauge(meters, "redisrpc.queue.waiting")).isEqualTo(2);
                assertThat(gauge(meters, "redisrpc.queue.running")).isEqualTo(1);
                assertThat(gauge(meters, "redisrpc.queue.dead.letters")).isZero();
                assertThat(
                        meters
                            .get("redisrpc.queue.oldest.waiting")
                            .tag("rpc.service", "Slow")
                            .timeGauge()
                            .value(TimeUnit.MILLISECONDS))
                    .isPositive();
              });

      held.release.complete(null);
      for (CompletableFuture<String> call : calls) {
        call.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
      Awaitility.await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(gauge(meters, "redisrpc.server.calls.in.flight")).isZero();
                assertThat(gauge(meters, "redisrpc.queue.length")).isZero();
                assertThat(
                        meters
                            .get("redisrpc.queue.oldest.waiting")
                            .timeGauge()
                            .value(TimeUnit.MILLISECONDS))
                    .isZero();
              });
    }
  }

  @Test
  void rejectedMessagesCountWhatTheServerRefused(RedisProcess redis) {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    RedisClient lettuce = RedisClient.create(redis.uri());
    try (RpcServer server = RpcServer.create(Slow.class, (Slow) new Held()).connect(redis.uri());
        StatefulRedisConnection<String, String> raw = lettuce.connect()) {
      RpcServerMetrics.create(server).bindTo(meters);
      assertThat(meters.get("redisrpc.server.rejected.messages").functionCounter().count())
          .isZero();

      raw.sync().xadd("rpc:{Slow}:requests", Map.of("codec", "json", "payload", "not json"));

      Awaitility.await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(
                          meters
                              .get("redisrpc.server.rejected.messages")
                              .tag("rpc.service", "Slow")
                              .functionCounter()
                              .count())
                      .isEqualTo(1));
    } finally {
      lettuce.shutdown();
    }
  }

  private static double gauge(SimpleMeterRegistry meters, String name) {
    return meters.get(name).tag("rpc.service", "Slow").gauge().value();
  }
}
