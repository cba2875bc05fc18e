package io.redisrpc;

import io.redisrpc.internal.registry.InstanceEntry;
import io.redisrpc.internal.registry.StatsRecord;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A live server instance as the registry describes it: who and where it is, what it serves, and the
 * statistics it wrote with its last heartbeat. Read by {@link RpcRegistry#instances(String)}.
 * Immutable.
 *
 * <p>Fields an instance did not write (a server of another implementation, or one whose Redis user
 * may not write the registry) are empty: an empty host or version, a pid of -1, no endpoints.
 */
public final class ServiceInstance {
  private final String service;
  private final String id;
  private final String host;
  private final long pid;
  private final String version;
  private final int protocolVersion;
  private final @Nullable Instant startedAt;
  private final @Nullable Instant lastHeartbeat;
  private final Instant expiresAt;
  private final List<String> endpoints;
  private final @Nullable ServerStats stats;

  ServiceInstance(
      String service,
      String id,
      String host,
      long pid,
      String version,
      int protocolVersion,
      @Nullable Instant startedAt,
      @Nullable Instant lastHeartbeat,
      Instant expiresAt,
      List<String> endpoints,
      @Nullable ServerStats stats) {
    this.service = Objects.requireNonNull(service, "service == null");
    this.id = Objects.requireNonNull(id, "id == null");
    this.host = host;
    this.pid = pid;
    this.version = version;
    this.protocolVersion = protocolVersion;
    this.startedAt = startedAt;
    this.lastHeartbeat = lastHeartbeat;
    this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt == null");
    this.endpoints = List.copyOf(endpoints);
    this.stats = stats;
  }

  /** The public form of an instance's registry entry. */
  static ServiceInstance of(InstanceEntry e) {
    StatsRecord stats = e.stats();
    return new ServiceInstance(
        e.service(),
        e.id(),
        e.host(),
        e.pid(),
        e.version(),
        e.protocolVersion(),
        e.startedAt(),
        e.lastHeartbeat(),
        e.expiresAt(),
        e.endpoints(),
        stats == null ? null : ServerStats.of(stats));
  }

  /** The service name. */
  public String service() {
    return service;
  }

  /** The instance's id (its consumer name in the request stream's group). */
  public String id() {
    return id;
  }

  /** The host name of its machine; empty when unknown. */
  public String host() {
    return host;
  }

  /** Its process id; -1 when unknown. */
  public long pid() {
    return pid;
  }

  /** Its library and version, e.g. {@code redisrpc-java 0.1.0}; empty when unknown. */
  public String version() {
    return version;
  }

  /** The version of the native protocol it speaks; 0 when unknown. */
  public int protocolVersion() {
    return protocolVersion;
  }

  /** When it started serving, by its own clock. */
  public Optional<Instant> startedAt() {
    return Optional.ofNullable(startedAt);
  }

  /** When it last wrote its registry entry, by Redis' clock. */
  public Optional<Instant> lastHeartbeat() {
    return Optional.ofNullable(lastHeartbeat);
  }

  /** When it stops counting as live unless it beats again, by Redis' clock. */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** The endpoints it serves. */
  public List<String> endpoints() {
    return endpoints;
  }

  /** The statistics it wrote with its last heartbeat. */
  public Optional<ServerStats> stats() {
    return Optional.ofNullable(stats);
  }

  @Override
  public String toString() {
    return "ServiceInstance[" + service + ", id=" + id + ", host=" + host + ", pid=" + pid + "]";
  }
}
