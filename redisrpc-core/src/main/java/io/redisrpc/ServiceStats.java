package io.redisrpc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The state of a service read from Redis, for any service, served by any process: its request queue
 * (read atomically on Redis' clock) and the statistics each live instance wrote with its last
 * heartbeat (at most one heartbeat interval old). Immutable.
 *
 * <pre>{@code
 * ServiceStats stats = ServiceStats.read("redis://localhost:6379", "Dropbox");
 * System.out.println(stats.waiting() + " calls waiting, oldest " + stats.oldestWaiting());
 * }</pre>
 */
public final class ServiceStats {
  private final String service;
  private final Instant readAt;
  private final long queueLength;
  private final long waiting;
  private final long running;
  private final @Nullable Duration oldestWaiting;
  private final @Nullable Duration oldestRunning;
  private final long deadLetters;
  private final List<ServiceInstance> instances;

  ServiceStats(
      String service,
      Instant readAt,
      long queueLength,
      long waiting,
      long running,
      @Nullable Duration oldestWaiting,
      @Nullable Duration oldestRunning,
      long deadLetters,
      List<ServiceInstance> instances) {
    this.service = Objects.requireNonNull(service, "service == null");
    this.readAt = Objects.requireNonNull(readAt, "readAt == null");
    this.queueLength = queueLength;
    this.waiting = waiting;
    this.running = running;
    this.oldestWaiting = oldestWaiting;
    this.oldestRunning = oldestRunning;
    this.deadLetters = deadLetters;
    this.instances = List.copyOf(instances);
  }

  /**
   * Reads the statistics of {@code service} from the Redis at {@code dsn}, over a connection opened
   * and closed for the occasion; {@link RpcRegistry#stats(String)} reuses one.
   *
   * @throws NotConnectedException when Redis cannot be reached
   * @throws IllegalArgumentException when {@code dsn} is not a Redis URI or {@code service} not a
   *     service name
   */
  public static ServiceStats read(String dsn, String service) {
    try (RpcRegistry registry = RpcRegistry.connect(dsn)) {
      return registry.stats(service);
    }
  }

  /** The service name. */
  public String service() {
    return service;
  }

  /** When this was read, by Redis' clock. */
  public Instant readAt() {
    return readAt;
  }

  /** Entries in the request stream: calls waiting plus calls running. */
  public long queueLength() {
    return queueLength;
  }

  /** Calls waiting for a free server. */
  public long waiting() {
    return waiting;
  }

  /** Calls taken by a server and not yet answered. */
  public long running() {
    return running;
  }

  /** How long the oldest waiting call has waited; empty when none waits. */
  public Optional<Duration> oldestWaiting() {
    return Optional.ofNullable(oldestWaiting);
  }

  /** How long ago the oldest running call was enqueued; empty when none runs. */
  public Optional<Duration> oldestRunning() {
    return Optional.ofNullable(oldestRunning);
  }

  /**
   * Calls in the service's dead-letter streams (all partitions): delivered too often without
   * completing; {@link DeadLetters} lists, replays and purges them.
   */
  public long deadLetters() {
    return deadLetters;
  }

  /** The live instances, each with the statistics of its last heartbeat. */
  public List<ServiceInstance> instances() {
    return instances;
  }

  /** The statistics of each endpoint, summed over the live instances. */
  public List<EndpointStats> endpoints() {
    Map<String, List<EndpointStats>> byName = new LinkedHashMap<>();
    for (ServiceInstance instance : instances) {
      instance
          .stats()
          .ifPresent(
              s -> {
                for (EndpointStats e : s.endpoints()) {
                  byName.computeIfAbsent(e.endpoint(), k -> new ArrayList<>()).add(e);
                }
              });
    }
    List<EndpointStats> out = new ArrayList<>(byName.size());
    byName.forEach((name, stats) -> out.add(EndpointStats.sum(name, stats)));
    return out;
  }

  @Override
  public String toString() {
    return "ServiceStats["
        + service
        + ", waiting="
        + waiting
        + ", running="
        + running
        + ", instances="
        + instances.size()
        + "]";
  }
}
