package io.redisrpc.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** The text report: results with Redis' and the JVM's cost per call, ratios, and the targets. */
final class Report {
  private Report() {}

  /**
   * What was measured beside the record: errors and the cost of a call; on a Redis Cluster also by
   * primary ({@code nodes}, empty elsewhere).
   */
  record Extras(
      long errors,
      String firstError,
      double redisCommandsPerCall,
      double redisCpuUsPerCall,
      double redisCpuPercent,
      double jvmCpuUsPerCall,
      double jvmContextSwitchesPerCall,
      Map<String, Double> commandBreakdown,
      List<NodeCost> nodes) {}

  /**
   * What one primary of a Redis Cluster did in one workload.
   *
   * @param node the primary, {@code host:port}
   * @param commandsPerCall Redis commands it ran per call
   * @param cpuUsPerCall its Redis CPU time per call, in µs
   * @param cpuPercent its Redis CPU use during the measurement, in % of one core
   */
  record NodeCost(String node, double commandsPerCall, double cpuUsPerCall, double cpuPercent) {}

  /** Each primary's share of {@code nodes}' commands and CPU, for the result files. */
  static List<BenchResult.NodeShare> shares(List<NodeCost> nodes) {
    double commands = nodes.stream().mapToDouble(NodeCost::commandsPerCall).sum();
    double cpu = nodes.stream().mapToDouble(NodeCost::cpuUsPerCall).sum();
    List<BenchResult.NodeShare> out = new ArrayList<>();
    for (NodeCost n : nodes) {
      out.add(
          new BenchResult.NodeShare(
              n.node(),
              commands <= 0 ? 0 : 100 * n.commandsPerCall() / commands,
              cpu <= 0 ? 0 : 100 * n.cpuUsPerCall() / cpu));
    }
    return out;
  }

  /** A result and its extras (null when unknown). */
  record Cell(BenchResult result, Extras extras) {}

  static String table(List<Cell> cells) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%-29s %9s %8s %10s %9s %9s %9s %6s %9s %9s %7s %9s %9s%n",
            "system",
            "in_flight",
            "payload",
            "calls/s",
            "p50_us",
            "p99_us",
            "p999_us",
            "errors",
            "redis_cmd",
            "redis_cpu",
            "redis%",
            "jvm_cpu",
            "jvm_csw"));
    b.append(
        String.format(
            Locale.ROOT,
            "%-29s %9s %8s %10s %9s %9s %9s %6s %9s %9s %7s %9s %9s%n",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "/call",
            "us/call",
            "",
            "us/call",
            "/call"));
    List<Cell> sorted = new ArrayList<>(cells);
    sorted.sort(
        Comparator.comparingInt((Cell c) -> c.result().inFlight())
            .thenComparingInt(c -> c.result().payloadBytes())
            .thenComparingInt(c -> order(c.result().variant())));
    int lastInFlight = -1;
    int lastPayload = -1;
    for (Cell c : sorted) {
      BenchResult r = c.result();
      if (lastInFlight != -1 && (r.inFlight() != lastInFlight || r.payloadBytes() != lastPayload)) {
        b.append('\n');
      }
      lastInFlight = r.inFlight();
      lastPayload = r.payloadBytes();
      Extras e = c.extras();
      b.append(
          String.format(
              Locale.ROOT,
              "%-29s %9d %8s %10.0f %9.0f %9.0f %9.0f %6s %9s %9s %7s %9s %9s%n",
              r.variant(),
              r.inFlight(),
              ChartSvg.bytes(r.payloadBytes()),
              r.callsPerS(),
              r.p50Us(),
              r.p99Us(),
              r.p999Us(),
              e == null ? "-" : Long.toString(e.errors()),
              e == null || r.system().equals("nats")
                  ? "-"
                  : String.format(Locale.ROOT, "%.2f", e.redisCommandsPerCall()),
              e == null || r.system().equals("nats")
                  ? "-"
                  : String.format(Locale.ROOT, "%.1f", e.redisCpuUsPerCall()),
              e == null || r.system().equals("nats")
                  ? "-"
                  : String.format(Locale.ROOT, "%.0f%%", e.redisCpuPercent()),
              e == null ? "-" : String.format(Locale.ROOT, "%.1f", e.jvmCpuUsPerCall()),
              e == null || e.jvmContextSwitchesPerCall() < 0
                  ? "-"
                  : String.format(Locale.ROOT, "%.2f", e.jvmContextSwitchesPerCall())));
    }
    return b.toString();
  }

  /**
   * On a Redis Cluster: for each system and workload, each primary's share of the Redis commands
   * and of the Redis CPU, the busiest primary (by CPU) with its CPU use and its CPU time per call,
   * and the calls/s at which that primary would use one whole core: the ceiling of this placement
   * when every primary has a core of its own. {@code primaries} describes the primaries, {@code n1}
   * first. Empty when no cell has costs by node.
   */
  static String cluster(List<Cell> cells, List<String> primaries) {
    List<Cell> measured =
        cells.stream().filter(c -> c.extras() != null && !c.extras().nodes().isEmpty()).toList();
    if (measured.isEmpty()) {
      return "";
    }
    int n = measured.get(0).extras().nodes().size();
    StringBuilder b = new StringBuilder();
    b.append(
        "Redis Cluster: each primary's share of the workload's Redis commands and Redis CPU, in %"
            + " (INFO commandstats, INFO cpu of each)\n");
    for (int i = 0; i < primaries.size(); i++) {
      b.append("  n").append(i + 1).append(' ').append(primaries.get(i)).append('\n');
    }
    StringBuilder head1 =
        new StringBuilder(
            String.format(Locale.ROOT, "%-29s %9s %8s", "system", "in_flight", "payload"));
    StringBuilder head2 =
        new StringBuilder(String.format(Locale.ROOT, "%-29s %9s %8s", "", "", ""));
    for (String what : List.of("cmd%", "cpu%")) {
      for (int i = 0; i < n; i++) {
        head1.append(String.format(Locale.ROOT, " %6s", i == 0 ? what : ""));
        head2.append(String.format(Locale.ROOT, " %6s", "n" + (i + 1)));
      }
    }
    head1.append(
        String.format(Locale.ROOT, " %7s %8s %8s %10s", "busiest", "its", "its cpu", "ceiling"));
    head2.append(
        String.format(Locale.ROOT, " %7s %8s %8s %10s", "", "redis%", "us/call", "calls/s"));
    b.append(head1).append('\n').append(head2).append('\n');
    List<Cell> sorted = new ArrayList<>(measured);
    sorted.sort(
        Comparator.comparingInt((Cell c) -> c.result().inFlight())
            .thenComparingInt(c -> c.result().payloadBytes())
            .thenComparingInt(c -> order(c.result().variant())));
    for (Cell c : sorted) {
      BenchResult r = c.result();
      List<NodeCost> nodes = c.extras().nodes();
      List<BenchResult.NodeShare> shares = shares(nodes);
      b.append(
          String.format(
              Locale.ROOT,
              "%-29s %9d %8s",
              r.variant(),
              r.inFlight(),
              ChartSvg.bytes(r.payloadBytes())));
      for (BenchResult.NodeShare share : shares) {
        b.append(String.format(Locale.ROOT, " %6.1f", share.commandsPct()));
      }
      for (BenchResult.NodeShare share : shares) {
        b.append(String.format(Locale.ROOT, " %6.1f", share.redisCpuPct()));
      }
      int busiest = 0;
      for (int i = 1; i < nodes.size(); i++) {
        if (nodes.get(i).cpuPercent() > nodes.get(busiest).cpuPercent()) {
          busiest = i;
        }
      }
      NodeCost top = nodes.get(busiest);
      b.append(
          String.format(
              Locale.ROOT,
              " %7s %7.0f%% %8.1f %10s%n",
              "n" + (busiest + 1),
              top.cpuPercent(),
              top.cpuUsPerCall(),
              top.cpuPercent() <= 0
                  ? "-"
                  : String.format(Locale.ROOT, "%.0f", r.callsPerS() * 100 / top.cpuPercent())));
    }
    return b.toString();
  }

  /** Redis commands per call, by command, for each system at the highest load measured. */
  static String breakdown(List<Cell> cells) {
    StringBuilder b = new StringBuilder();
    int maxInFlight = cells.stream().mapToInt(c -> c.result().inFlight()).max().orElse(1);
    int minPayload = cells.stream().mapToInt(c -> c.result().payloadBytes()).min().orElse(0);
    b.append("Redis commands per call at ")
        .append(maxInFlight)
        .append(" in flight, ")
        .append(ChartSvg.bytes(minPayload))
        .append(" (INFO commandstats; includes commands run by Lua scripts):\n");
    cells.stream()
        .filter(
            c ->
                c.extras() != null
                    && c.result().inFlight() == maxInFlight
                    && c.result().payloadBytes() == minPayload
                    && !c.result().system().equals("nats"))
        .sorted(Comparator.comparingInt(c -> order(c.result().variant())))
        .forEach(
            c ->
                b.append(
                    String.format(
                        Locale.ROOT,
                        "  %-29s %s%n",
                        c.result().variant(),
                        c.extras().commandBreakdown().entrySet().stream()
                            .filter(en -> en.getValue() >= 0.005)
                            .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                            .map(
                                en ->
                                    String.format(
                                        Locale.ROOT, "%s %.2f", en.getKey(), en.getValue()))
                            .collect(Collectors.joining(", ")))));
    return b.toString();
  }

  private static int order(String variant) {
    List<String> known =
        List.of(
            "floor",
            "redisrpc msgpack",
            "redisrpc msgpack idempotent",
            "redisrpc json",
            "redisrpc json idempotent",
            "nats",
            "redisson");
    int i = known.indexOf(variant);
    return i < 0 ? known.size() : i;
  }

  private static BenchResult find(
      List<BenchResult> results, String variant, int inFlight, int payload) {
    for (BenchResult r : results) {
      if (r.variant().equals(variant) && r.inFlight() == inFlight && r.payloadBytes() == payload) {
        return r;
      }
    }
    return null;
  }

  private static String ratio(double num, double den) {
    if (den <= 0 || Double.isNaN(num) || Double.isNaN(den)) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.2fx", num / den);
  }

  /** redisrpc divided by each peer under the same load. */
  static String ratios(List<BenchResult> results) {
    StringBuilder b = new StringBuilder();
    b.append(
        "Ratios, redisrpc / peer under the same load (throughput: higher is better; latency: lower is better)\n");
    b.append(
        String.format(
            Locale.ROOT,
            "%-29s %9s %8s %10s %10s %10s %10s %10s %10s%n",
            "redisrpc",
            "in_flight",
            "payload",
            "thr/floor",
            "thr/redis-",
            "thr/nats",
            "p50/floor",
            "p99/floor",
            "thr/default"));
    b.append(
        String.format(
            Locale.ROOT,
            "%-29s %9s %8s %10s %10s %10s %10s %10s %10s%n",
            "",
            "",
            "",
            "",
            "son",
            "",
            "",
            "",
            ""));
    List<BenchResult> ours =
        results.stream()
            .filter(r -> r.system().equals("redisrpc"))
            .sorted(
                Comparator.comparingInt(BenchResult::inFlight)
                    .thenComparingInt(BenchResult::payloadBytes)
                    .thenComparingInt(r -> order(r.variant())))
            .toList();
    for (BenchResult r : ours) {
      BenchResult floor = find(results, "floor", r.inFlight(), r.payloadBytes());
      BenchResult redisson = find(results, "redisson", r.inFlight(), r.payloadBytes());
      BenchResult nats = find(results, "nats", r.inFlight(), r.payloadBytes());
      BenchResult dflt =
          r.workload().equals("default")
              ? null
              : find(
                  results,
                  BenchResult.variantOf("redisrpc", r.codec(), "default"),
                  r.inFlight(),
                  r.payloadBytes());
      b.append(
          String.format(
              Locale.ROOT,
              "%-29s %9d %8s %10s %10s %10s %10s %10s %10s%n",
              r.variant(),
              r.inFlight(),
              ChartSvg.bytes(r.payloadBytes()),
              floor == null ? "-" : ratio(r.callsPerS(), floor.callsPerS()),
              redisson == null ? "-" : ratio(r.callsPerS(), redisson.callsPerS()),
              nats == null ? "-" : ratio(r.callsPerS(), nats.callsPerS()),
              floor == null ? "-" : ratio(r.p50Us(), floor.p50Us()),
              floor == null ? "-" : ratio(r.p99Us(), floor.p99Us()),
              dflt == null ? "-" : ratio(r.callsPerS(), dflt.callsPerS())));
    }
    return b.toString();
  }

  /** One check of a target over every redisrpc result it applies to. */
  private record Check(
      String name,
      Predicate<BenchResult> applies,
      String peer,
      boolean peerIsDefault,
      boolean latency,
      String metric,
      double limit,
      boolean atMost) {}

  /** The targets, each met or missed, with the worst case. */
  static String targets(List<BenchResult> results) {
    List<Check> checks =
        List.of(
            new Check(
                "sequential p50 <= 1.3x floor",
                r -> r.inFlight() == 1,
                "floor",
                false,
                true,
                "p50",
                1.3,
                true),
            new Check(
                "64/256 in flight: throughput >= 0.8x floor",
                r -> r.inFlight() >= 64,
                "floor",
                false,
                false,
                "thr",
                0.8,
                false),
            new Check(
                "64/256 in flight: throughput >= 20x Redisson",
                r -> r.inFlight() >= 64,
                "redisson",
                false,
                false,
                "thr",
                20,
                false),
            new Check(
                "64/256 in flight: p99 <= 2x floor",
                r -> r.inFlight() >= 64,
                "floor",
                false,
                true,
                "p99",
                2.0,
                true),
            new Check(
                "idempotent throughput >= 0.8x default",
                r -> r.inFlight() >= 64 && r.workload().equals("idempotent"),
                null,
                true,
                false,
                "thr",
                0.8,
                false),
            new Check(
                "stretch: 256 in flight >= 1.0x floor",
                r -> r.inFlight() == 256,
                "floor",
                false,
                false,
                "thr",
                1.0,
                false));
    StringBuilder b = new StringBuilder("Targets (ratios from this one run):\n");
    for (Check check : checks) {
      double worst = Double.NaN;
      String worstAt = null;
      int evaluated = 0;
      int failed = 0;
      for (BenchResult r : results) {
        if (!r.system().equals("redisrpc") || !check.applies().test(r)) {
          continue;
        }
        BenchResult peer =
            check.peerIsDefault()
                ? find(
                    results,
                    BenchResult.variantOf("redisrpc", r.codec(), "default"),
                    r.inFlight(),
                    r.payloadBytes())
                : find(results, check.peer(), r.inFlight(), r.payloadBytes());
        if (peer == null) {
          continue;
        }
        double num =
            check.metric().equals("thr")
                ? r.callsPerS()
                : check.metric().equals("p50") ? r.p50Us() : r.p99Us();
        double den =
            check.metric().equals("thr")
                ? peer.callsPerS()
                : check.metric().equals("p50") ? peer.p50Us() : peer.p99Us();
        if (den <= 0) {
          continue;
        }
        double value = num / den;
        evaluated++;
        boolean ok = check.atMost() ? value <= check.limit() : value >= check.limit();
        if (!ok) {
          failed++;
        }
        boolean worse = Double.isNaN(worst) || (check.atMost() ? value > worst : value < worst);
        if (worse) {
          worst = value;
          worstAt =
              r.variant() + ", " + r.inFlight() + " in flight, " + ChartSvg.bytes(r.payloadBytes());
        }
      }
      String status = evaluated == 0 ? "n/a   " : failed == 0 ? "met   " : "MISSED";
      b.append(String.format(Locale.ROOT, "  [%s] %-46s", status, check.name()));
      if (evaluated > 0) {
        b.append(
            String.format(
                Locale.ROOT,
                " %d/%d cases met; worst %.2fx (%s)",
                evaluated - failed,
                evaluated,
                worst,
                worstAt));
      } else {
        b.append(" (no redisrpc result with its peer in this run)");
      }
      b.append('\n');
    }
    return b.toString();
  }
}
