package io.redisrpc.micrometer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.redisrpc.RpcRegistry;
import io.redisrpc.ServiceStats;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Gauges of a service's request queue, as {@link RpcRegistry#stats(String)} reads it from Redis
 * (any process may serve the service, or none yet):
 *
 * <ul>
 *   <li>{@code redisrpc.queue.length}: entries in the request stream, waiting plus running;
 *   <li>{@code redisrpc.queue.waiting}: calls waiting for a free server;
 *   <li>{@code redisrpc.queue.running}: calls taken by a server and not yet answered;
 *   <li>{@code redisrpc.queue.dead.letters}: calls in the dead-letter streams (delivered too often
 *       without completing);
 *   <li>{@code redisrpc.queue.oldest.waiting} (time gauge): how long the oldest waiting call has
 *       waited, 0 when none waits.
 * </ul>
 *
 * <p>All are tagged {@code rpc.service} (add more with a common-tags {@code MeterFilter}), and hold
 * this binder strongly: binding it is enough. One read serves all five gauges: Redis is read at
 * most once per {@code maxAge} (1 s by default), when the registry asks, on the asking thread,
 * within the {@link RpcRegistry}'s read timeout. While Redis cannot be read, the gauges are {@code
 * NaN}.
 *
 * <pre>{@code
 * RpcRegistry rpcRegistry = RpcRegistry.connect(redis, Duration.ofSeconds(2));
 * ServiceQueueMetrics.create(rpcRegistry, "Dropbox").bindTo(meterRegistry);
 * }</pre>
 *
 * <p>The dead letters of a service are not among them: the public API does not count them yet.
 */
public final class ServiceQueueMetrics implements MeterBinder {
  private static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(1);

  private final RpcRegistry registry;
  private final String service;
  private final long maxAgeNanos;
  private final Tags tags;
  private @Nullable ServiceStats last;
  private long lastReadNanos;

  private ServiceQueueMetrics(RpcRegistry registry, String service, Duration maxAge) {
    this.registry = registry;
    this.service = service;
    this.maxAgeNanos = maxAge.toNanos();
    this.tags =
        Tags.of(RpcObservationDocumentation.LowCardinalityKeyNames.RPC_SERVICE.asString(), service);
  }

  /** The gauges of {@code service}'s queue, read through {@code registry} at most once a second. */
  public static ServiceQueueMetrics create(RpcRegistry registry, String service) {
    return create(registry, service, DEFAULT_MAX_AGE);
  }

  /**
   * The gauges of {@code service}'s queue, read through {@code registry} at most once per {@code
   * maxAge} ({@link Duration#ZERO}: at every look).
   */
  public static ServiceQueueMetrics create(RpcRegistry registry, String service, Duration maxAge) {
    Objects.requireNonNull(registry, "registry == null");
    Objects.requireNonNull(service, "service == null");
    Objects.requireNonNull(maxAge, "maxAge == null");
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("maxAge < 0: " + maxAge);
    }
    return new ServiceQueueMetrics(registry, service, maxAge);
  }

  @Override
  public void bindTo(MeterRegistry meters) {
    gauge(meters, "redisrpc.queue.length", "Entries in the request stream", s -> s.queueLength());
    gauge(meters, "redisrpc.queue.waiting", "Calls waiting for a free server", s -> s.waiting());
    gauge(meters, "redisrpc.queue.running", "Calls taken and not yet answered", s -> s.running());
    gauge(
        meters,
        "redisrpc.queue.dead.letters",
        "Calls in the dead-letter streams",
        s -> s.deadLetters());
    TimeGauge.builder(
            "redisrpc.queue.oldest.waiting",
            this,
            TimeUnit.MILLISECONDS,
            m -> m.read(s -> s.oldestWaiting().map(Duration::toMillis).orElse(0L)))
        .description("How long the oldest waiting call has waited")
        .tags(tags)
        .strongReference(true)
        .register(meters);
  }

  private void gauge(
      MeterRegistry meters, String name, String description, ToDoubleFunction<ServiceStats> value) {
    Gauge.builder(name, this, m -> m.read(value))
        .description(description)
        .tags(tags)
        .strongReference(true)
        .register(meters);
  }

  private double read(ToDoubleFunction<ServiceStats> value) {
    ServiceStats stats = stats();
    return stats == null ? Double.NaN : value.applyAsDouble(stats);
  }

  private synchronized @Nullable ServiceStats stats() {
    long now = System.nanoTime();
    if (last == null || now - lastReadNanos >= maxAgeNanos) {
      try {
        last = registry.stats(service);
      } catch (RuntimeException unreadable) {
        last = null;
      }
      lastReadNanos = now;
    }
    return last;
  }
}
