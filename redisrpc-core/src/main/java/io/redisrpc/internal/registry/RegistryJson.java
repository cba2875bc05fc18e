package io.redisrpc.internal.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisrpc.internal.LibraryVersion;
import io.redisrpc.internal.codec.ExactJson;
import io.redisrpc.internal.stats.EndpointSnapshot;
import io.redisrpc.internal.stats.LatencyHistogram;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The registry's forms of an instance: the fields of its hash {@code rpc:{S}:instance:<id>} and the
 * JSON of their {@code stats} field, written by servers from a {@link StatsRecord} and read back
 * into an {@link InstanceEntry}. Readers are lenient: a missing or malformed field leaves its value
 * unknown, never fails the read.
 */
public final class RegistryJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String HOST = hostName();
  private static final long PID = ProcessHandle.current().pid();

  private RegistryJson() {}

  /**
   * The fields of the hash of this process's instance whose statistics are {@code stats} and which
   * beats every {@code heartbeatInterval}.
   */
  public static Map<String, String> instanceFields(StatsRecord stats, Duration heartbeatInterval) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("service", stats.service());
    fields.put("id", stats.instanceId());
    fields.put("host", HOST);
    fields.put("pid", Long.toString(PID));
    fields.put("version", "redisrpc-java " + LibraryVersion.get());
    fields.put("protocol_version", Integer.toString(ServiceDescriptor.PROTOCOL_VERSION));
    fields.put("started_at", Long.toString(stats.startedAt().toEpochMilli()));
    fields.put("heartbeat_ms", Long.toString(heartbeatInterval.toMillis()));
    fields.put("max_concurrency", Integer.toString(stats.maxConcurrency()));
    fields.put("in_flight", Integer.toString(stats.inFlight()));
    ArrayNode endpoints = NODES.arrayNode();
    stats.endpoints().forEach(e -> endpoints.add(e.endpoint()));
    fields.put("endpoints", endpoints.toString());
    fields.put("stats", statsJson(stats));
    return fields;
  }

  /** {@code stats} as the JSON of the {@code stats} field. */
  static String statsJson(StatsRecord stats) {
    ObjectNode root = NODES.objectNode();
    root.put("service", stats.service());
    root.put("instance", stats.instanceId());
    root.put("started_at", stats.startedAt().toEpochMilli());
    root.put("taken_at", stats.takenAt().toEpochMilli());
    root.put("in_flight", stats.inFlight());
    root.put("max_concurrency", stats.maxConcurrency());
    root.put("rejected", stats.rejectedMessages());
    ArrayNode endpoints = root.putArray("endpoints");
    for (EndpointSnapshot e : stats.endpoints()) {
      ObjectNode node = endpoints.addObject();
      node.put("name", e.endpoint());
      node.put("calls", e.calls());
      ObjectNode errors = node.putObject("errors");
      e.errors().forEach(errors::put);
      node.put("in_flight", e.inFlight());
      long[] counts = e.buckets();
      putMicros(node, "p50_us", counts, 0.5);
      putMicros(node, "p99_us", counts, 0.99);
      ObjectNode buckets = node.putObject("buckets");
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] > 0) {
          buckets.put(Integer.toString(i), counts[i]);
        }
      }
      String code = e.lastErrorCode();
      if (code != null) {
        ObjectNode error = node.putObject("last_error");
        error.put("code", code);
        error.put("message", Objects.requireNonNullElse(e.lastErrorMessage(), ""));
        error.put("at", e.lastErrorAtMillis());
      }
    }
    try {
      return ExactJson.MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The statistics in the JSON of a {@code stats} field, or null when it does not parse. */
  static @Nullable StatsRecord parseStats(@Nullable String json) {
    if (json == null || json.isEmpty()) {
      return null;
    }
    JsonNode root;
    try {
      root = ExactJson.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      return null;
    }
    if (root == null || !root.isObject()) {
      return null;
    }
    List<EndpointSnapshot> endpoints = new ArrayList<>();
    for (JsonNode node : root.path("endpoints")) {
      Map<String, Long> errors = new LinkedHashMap<>();
      node.path("errors").properties().forEach(f -> errors.put(f.getKey(), f.getValue().asLong()));
      long[] buckets = new long[LatencyHistogram.BUCKETS];
      node.path("buckets")
          .properties()
          .forEach(
              f -> {
                try {
                  int i = Integer.parseInt(f.getKey());
                  if (i >= 0 && i < buckets.length) {
                    buckets[i] = f.getValue().asLong();
                  }
                } catch (NumberFormatException ignored) {
                  // not a bucket
                }
              });
      JsonNode last = node.path("last_error");
      boolean failed = last.isObject();
      endpoints.add(
          new EndpointSnapshot(
              node.path("name").asText(""),
              node.path("calls").asLong(),
              errors,
              node.path("in_flight").asInt(),
              buckets,
              failed ? last.path("code").asText("UNKNOWN") : null,
              failed ? last.path("message").asText("") : null,
              failed ? last.path("at").asLong() : 0));
    }
    return new StatsRecord(
        root.path("service").asText(""),
        root.path("instance").asText(""),
        Instant.ofEpochMilli(root.path("started_at").asLong()),
        Instant.ofEpochMilli(root.path("taken_at").asLong()),
        root.path("in_flight").asInt(),
        root.path("max_concurrency").asInt(),
        root.path("rejected").asLong(),
        endpoints);
  }

  /**
   * The instance {@code id} of {@code service}, live until {@code expiresAtMillis} (Redis ms), from
   * the {@code fields} of its hash.
   */
  public static InstanceEntry instance(
      String service, String id, long expiresAtMillis, Map<String, String> fields) {
    List<String> endpoints = new ArrayList<>();
    try {
      JsonNode names = ExactJson.MAPPER.readTree(fields.getOrDefault("endpoints", "[]"));
      if (names != null) {
        names.forEach(n -> endpoints.add(n.asText()));
      }
    } catch (JsonProcessingException e) {
      // unknown endpoints
    }
    return new InstanceEntry(
        service,
        id,
        fields.getOrDefault("host", ""),
        number(fields.get("pid"), -1),
        fields.getOrDefault("version", ""),
        (int) number(fields.get("protocol_version"), 0),
        instant(fields.get("started_at")),
        instant(fields.get("heartbeat_at")),
        Instant.ofEpochMilli(expiresAtMillis),
        endpoints,
        parseStats(fields.get("stats")));
  }

  /**
   * Puts the {@code q}-quantile of the latency {@code counts} as whole microseconds (the bucket's
   * upper bound rounded to the nanosecond, then truncated) under {@code key}; nothing before the
   * first call.
   */
  private static void putMicros(ObjectNode node, String key, long[] counts, double q) {
    double micros = LatencyHistogram.percentileMicros(counts, q);
    if (!Double.isNaN(micros)) {
      node.put(key, Math.max(0, Math.round(micros * 1000) / 1000));
    }
  }

  private static long number(@Nullable String text, long otherwise) {
    if (text == null) {
      return otherwise;
    }
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  private static @Nullable Instant instant(@Nullable String millis) {
    long ms = number(millis, Long.MIN_VALUE);
    return ms == Long.MIN_VALUE ? null : Instant.ofEpochMilli(ms);
  }

  private static String hostName() {
    String fromEnv = System.getenv("HOSTNAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.strip();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException | RuntimeException e) {
      return "";
    }
  }
}
