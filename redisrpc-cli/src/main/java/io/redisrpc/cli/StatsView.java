package io.redisrpc.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisrpc.EndpointStats;
import io.redisrpc.ServerStats;
import io.redisrpc.ServiceInstance;
import io.redisrpc.ServiceStats;
import io.redisrpc.StatusCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link ServiceStats} as text lines (a queue line, an endpoint table, an instance table) or
 * JSON.
 */
final class StatsView {
  private StatsView() {}

  static List<String> lines(ServiceStats stats) {
    List<String> lines = new ArrayList<>();
    lines.add(
        stats.service()
            + ": "
            + Format.count(stats.instances().size(), "live instance")
            + ", queue "
            + stats.waiting()
            + " waiting"
            + stats.oldestWaiting().map(d -> " (oldest " + Format.age(d) + ")").orElse("")
            + ", "
            + stats.running()
            + " running"
            + stats.oldestRunning().map(d -> " (oldest " + Format.age(d) + ")").orElse(""));
    Table endpoints =
        new Table("ENDPOINT", "CALLS", "ERRORS", "IN-FLIGHT", "P50", "P99", "LAST ERROR")
            .alignRight(1, 3, 4, 5);
    List<EndpointStats> sorted = new ArrayList<>(stats.endpoints());
    sorted.sort(java.util.Comparator.comparing(EndpointStats::endpoint));
    for (EndpointStats e : sorted) {
      endpoints.add(
          e.endpoint(),
          e.calls(),
          errors(e),
          e.inFlight(),
          e.p50().map(Format::latency).orElse(null),
          e.p99().map(Format::latency).orElse(null),
          e.lastError().map(m -> Format.cut(m, 60)).orElse(null));
    }
    if (!endpoints.isEmpty()) {
      lines.addAll(endpoints.lines());
    }
    Table instances =
        new Table("INSTANCE", "HOST", "PID", "UPTIME", "IN-FLIGHT", "CALLS", "ERRORS", "REJECTED")
            .alignRight(2, 4, 5, 6, 7);
    for (ServiceInstance i : stats.instances()) {
      ServerStats s = i.stats().orElse(null);
      instances.add(
          Format.shortId(i.id()),
          i.host().isEmpty() ? null : i.host(),
          i.pid() < 0 ? null : i.pid(),
          ServicesCommand.uptime(i),
          s == null ? null : s.inFlight(),
          s == null ? null : s.calls(),
          s == null ? null : s.errorCount(),
          s == null ? null : s.rejectedMessages());
    }
    if (!instances.isEmpty()) {
      lines.add("");
      lines.addAll(instances.lines());
    }
    return lines;
  }

  private static String errors(EndpointStats e) {
    long total = e.errorCount();
    if (total == 0) {
      return "0";
    }
    if (e.errors().size() == 1) {
      return total + " " + e.errors().keySet().iterator().next();
    }
    List<String> codes = new ArrayList<>();
    for (Map.Entry<StatusCode, Long> c : e.errors().entrySet()) {
      codes.add(c.getKey() + ":" + c.getValue());
    }
    return total + " " + String.join(",", codes);
  }

  static ObjectNode json(ServiceStats stats) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("service", stats.service());
    root.put("read_at", stats.readAt().toString());
    ObjectNode queue = root.putObject("queue");
    queue.put("length", stats.queueLength());
    queue.put("waiting", stats.waiting());
    queue.put("running", stats.running());
    putMillis(queue, "oldest_waiting_ms", stats.oldestWaiting().orElse(null));
    putMillis(queue, "oldest_running_ms", stats.oldestRunning().orElse(null));
    ArrayNode endpoints = root.putArray("endpoints");
    stats.endpoints().forEach(e -> endpoints.add(endpoint(e)));
    ArrayNode instances = root.putArray("instances");
    for (ServiceInstance i : stats.instances()) {
      ObjectNode node = ServicesCommand.instanceJson(i);
      i.stats()
          .ifPresent(
              s -> {
                node.put("calls", s.calls());
                node.put("errors", s.errorCount());
                node.put("rejected", s.rejectedMessages());
                node.put("max_concurrency", s.maxConcurrency());
                ArrayNode per = node.putArray("endpoint_stats");
                s.endpoints().forEach(e -> per.add(endpoint(e)));
              });
      instances.add(node);
    }
    return root;
  }

  private static ObjectNode endpoint(EndpointStats e) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("endpoint", e.endpoint());
    node.put("calls", e.calls());
    ObjectNode errors = node.putObject("errors");
    e.errors().forEach((code, n) -> errors.put(code.name(), n));
    node.put("in_flight", e.inFlight());
    putMillis(node, "p50_ms", e.p50().orElse(null));
    putMillis(node, "p99_ms", e.p99().orElse(null));
    node.put("last_error", e.lastError().orElse(null));
    node.put("last_error_at", e.lastErrorAt().map(Object::toString).orElse(null));
    return node;
  }

  private static void putMillis(ObjectNode node, String field, Duration d) {
    if (d == null) {
      node.putNull(field);
    } else {
      node.put(field, d.toNanos() / 1e6);
    }
  }
}
