package io.redisrpc;

import io.redisrpc.internal.registry.StatsRecord;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of the statistics of one server instance: calls in flight, messages rejected, and per
 * endpoint calls, errors by status code, latency and the last error. Taken by {@link
 * RpcServer#stats()}, and written by every server into the registry with each heartbeat, where
 * {@link ServiceStats} reads it. Immutable.
 */
public final class ServerStats {
  private final String service;
  private final String instanceId;
  private final Instant startedAt;
  private final Instant takenAt;
  private final int inFlight;
  private final int maxConcurrency;
  private final long rejectedMessages;
  private final List<EndpointStats> endpoints;

  ServerStats(
      String service,
      String instanceId,
      Instant startedAt,
      Instant takenAt,
      int inFlight,
      int maxConcurrency,
      long rejectedMessages,
      List<EndpointStats> endpoints) {
    this.service = Objects.requireNonNull(service, "service == null");
    this.instanceId = Objects.requireNonNull(instanceId, "instanceId == null");
    this.startedAt = Objects.requireNonNull(startedAt, "startedAt == null");
    this.takenAt = Objects.requireNonNull(takenAt, "takenAt == null");
    this.inFlight = inFlight;
    this.maxConcurrency = maxConcurrency;
    this.rejectedMessages = rejectedMessages;
    this.endpoints = List.copyOf(endpoints);
  }

  /** The public form of statistics read from the registry. */
  static ServerStats of(StatsRecord r) {
    return new ServerStats(
        r.service(),
        r.instanceId(),
        r.startedAt(),
        r.takenAt(),
        r.inFlight(),
        r.maxConcurrency(),
        r.rejectedMessages(),
        r.endpoints().stream().map(EndpointStats::of).toList());
  }

  /** This in the form the registry writes. */
  StatsRecord toRecord() {
    return new StatsRecord(
        service,
        instanceId,
        startedAt,
        takenAt,
        inFlight,
        maxConcurrency,
        rejectedMessages,
        endpoints.stream().map(EndpointStats::toSnapshot).toList());
  }

  /** The service name. */
  public String service() {
    return service;
  }

  /** The server instance's id. */
  public String instanceId() {
    return instanceId;
  }

  /** When the instance connected (before that: when it was built), by its own clock. */
  public Instant startedAt() {
    return startedAt;
  }

  /** When this snapshot was taken, by the instance's clock. */
  public Instant takenAt() {
    return takenAt;
  }

  /** Calls taken and not yet answered, built-in ones included. */
  public int inFlight() {
    return inFlight;
  }

  /** The most calls the instance runs at once. */
  public int maxConcurrency() {
    return maxConcurrency;
  }

  /** Messages refused: malformed, oversized, unsigned, or asking for a reply elsewhere. */
  public long rejectedMessages() {
    return rejectedMessages;
  }

  /** The statistics of each endpoint, in the service's order. */
  public List<EndpointStats> endpoints() {
    return endpoints;
  }

  /** The statistics of the endpoint called {@code name}, if the service has one. */
  public Optional<EndpointStats> endpoint(String name) {
    return endpoints.stream().filter(e -> e.endpoint().equals(name)).findFirst();
  }

  /** Calls answered by all endpoints. */
  public long calls() {
    return endpoints.stream().mapToLong(EndpointStats::calls).sum();
  }

  /** Calls answered with an error by all endpoints. */
  public long errorCount() {
    return endpoints.stream().mapToLong(EndpointStats::errorCount).sum();
  }

  @Override
  public String toString() {
    return "ServerStats["
        + service
        + ", id="
        + instanceId
        + ", inFlight="
        + inFlight
        + ", calls="
        + calls()
        + ", errors="
        + errorCount()
        + "]";
  }
}
