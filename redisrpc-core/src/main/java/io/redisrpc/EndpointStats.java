package io.redisrpc;

import io.redisrpc.internal.stats.EndpointSnapshot;
import io.redisrpc.internal.stats.LatencyHistogram;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The statistics of one endpoint on one server instance (see {@link ServerStats}), or summed over
 * the instances of a service (see {@link ServiceStats#endpoints()}): calls answered, failures by
 * status code, calls in flight, latency percentiles and the last failure. Counts run from the start
 * of the instance. Immutable.
 *
 * <p>Latency is measured on the server, from the moment a handler thread takes the request until
 * its reply is encoded; percentiles come from fixed buckets growing by 19%, and are reported as
 * their bucket's upper bound.
 */
public final class EndpointStats {
  private final String endpoint;
  private final long calls;
  private final Map<StatusCode, Long> errors;
  private final int inFlight;
  private final long[] buckets;
  private final @Nullable String lastError;
  private final @Nullable Instant lastErrorAt;

  EndpointStats(
      String endpoint,
      long calls,
      Map<StatusCode, Long> errors,
      int inFlight,
      long[] buckets,
      @Nullable String lastError,
      @Nullable Instant lastErrorAt) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint == null");
    this.calls = calls;
    EnumMap<StatusCode, Long> copy = new EnumMap<>(StatusCode.class);
    copy.putAll(errors);
    this.errors = Collections.unmodifiableMap(copy);
    this.inFlight = inFlight;
    this.buckets = buckets.clone();
    this.lastError = lastError;
    this.lastErrorAt = lastErrorAt;
  }

  /** The public form of a recorder's snapshot. */
  static EndpointStats of(EndpointSnapshot s) {
    Map<StatusCode, Long> errors = new EnumMap<>(StatusCode.class);
    s.errors().forEach((code, n) -> errors.merge(StatusCode.fromName(code), n, Long::sum));
    String lastError =
        s.lastErrorCode() == null ? null : s.lastErrorCode() + ": " + s.lastErrorMessage();
    Instant lastErrorAt =
        s.lastErrorCode() == null ? null : Instant.ofEpochMilli(s.lastErrorAtMillis());
    return new EndpointStats(
        s.endpoint(), s.calls(), errors, s.inFlight(), s.buckets(), lastError, lastErrorAt);
  }

  /**
   * This as a recorder's snapshot, the form the registry writes (read back by {@link
   * #of(EndpointSnapshot)}): errors keyed by code name in the codes' order, the last error split at
   * its first {@code ": "} into code and message (all of it the code when there is none).
   */
  EndpointSnapshot toSnapshot() {
    Map<String, Long> byName = new LinkedHashMap<>();
    errors.forEach((code, n) -> byName.put(code.name(), n));
    String code = null;
    String message = null;
    if (lastError != null) {
      int colon = lastError.indexOf(": ");
      code = colon < 0 ? lastError : lastError.substring(0, colon);
      message = colon < 0 ? "" : lastError.substring(colon + 2);
    }
    long atMillis = lastErrorAt == null ? 0 : lastErrorAt.toEpochMilli();
    return new EndpointSnapshot(
        endpoint, calls, byName, inFlight, buckets.clone(), code, message, atMillis);
  }

  /** The sum of {@code stats}, all of one endpoint; the last error is the latest one. */
  static EndpointStats sum(String endpoint, List<EndpointStats> stats) {
    long calls = 0;
    int inFlight = 0;
    EnumMap<StatusCode, Long> errors = new EnumMap<>(StatusCode.class);
    long[] buckets = new long[LatencyHistogram.BUCKETS];
    String lastError = null;
    Instant lastErrorAt = null;
    for (EndpointStats s : stats) {
      calls += s.calls;
      inFlight += s.inFlight;
      s.errors.forEach((code, n) -> errors.merge(code, n, Long::sum));
      for (int i = 0; i < Math.min(buckets.length, s.buckets.length); i++) {
        buckets[i] += s.buckets[i];
      }
      if (s.lastErrorAt != null && (lastErrorAt == null || s.lastErrorAt.isAfter(lastErrorAt))) {
        lastErrorAt = s.lastErrorAt;
        lastError = s.lastError;
      }
    }
    return new EndpointStats(endpoint, calls, errors, inFlight, buckets, lastError, lastErrorAt);
  }

  /** The endpoint's name on the wire. */
  public String endpoint() {
    return endpoint;
  }

  /** Calls answered, successfully or not. */
  public long calls() {
    return calls;
  }

  /** Calls answered with an error. */
  public long errorCount() {
    long n = 0;
    for (long count : errors.values()) {
      n += count;
    }
    return n;
  }

  /** Calls answered with an error, by status code; codes that never occurred are absent. */
  public Map<StatusCode, Long> errors() {
    return errors;
  }

  /** Calls being handled now. */
  public int inFlight() {
    return inFlight;
  }

  /** The median latency; empty before the first call. */
  public Optional<Duration> p50() {
    return percentile(0.5);
  }

  /** The 99th percentile of latency; empty before the first call. */
  public Optional<Duration> p99() {
    return percentile(0.99);
  }

  /**
   * The {@code q}-quantile of latency, {@code 0 < q <= 1}, as the upper bound of its bucket; empty
   * before the first call.
   */
  public Optional<Duration> percentile(double q) {
    double micros = LatencyHistogram.percentileMicros(buckets, q);
    if (Double.isNaN(micros)) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(Math.round(micros * 1000)));
  }

  /** The last failure as {@code CODE: message}; empty when there was none. */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  /** When the last failure happened, by the server's clock; empty when there was none. */
  public Optional<Instant> lastErrorAt() {
    return Optional.ofNullable(lastErrorAt);
  }

  @Override
  public String toString() {
    return "EndpointStats["
        + endpoint
        + ", calls="
        + calls
        + ", errors="
        + errors
        + ", inFlight="
        + inFlight
        + ", p50="
        + p50().map(Duration::toString).orElse("-")
        + ", p99="
        + p99().map(Duration::toString).orElse("-")
        + "]";
  }
}
