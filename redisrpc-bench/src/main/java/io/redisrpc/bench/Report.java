package io.redisrpc.bench;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;

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

  /** Results by load (calls in flight, then payload), then system in the report's order. */
  static final Comparator<BenchResult> ORDER =
      Comparator.comparingInt(BenchResult::inFlight)
          .thenComparingInt(BenchResult::payloadBytes)
          .thenComparingInt(r -> order(r.variant()));

  /** The most rounds of any cell. */
  static int rounds(List<Cell> cells) {
    return cells.stream().mapToInt(c -> c.result().round()).max().orElse(1);
  }

  static String table(List<Cell> cells) {
    boolean rounds = rounds(cells) > 1;
    String head =
        "%-29s %9s %8s"
            + (rounds ? " %5s" : "%s")
            + " %10s %9s %9s %9s %6s %9s %9s %7s %9s %9s %6s %6s %6s %s%n";
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
                    Locale.ROOT,
                    head,
                    "system",
                    "in_flight",
                    "payload",
                    rounds ? "round" : "",
                    "calls/s",
                    "p50_us",
                    "p99_us",
                    "p999_us",
                    "errors",
                    "redis_cmd",
                    "redis_cpu",
                    "redis%",
                    "jvm_cpu",
                    "jvm_csw",
                    "load",
                    "load",
                    "other",
                    "")
                .stripTrailing()
            + "\n");
    b.append(
        String.format(
                    Locale.ROOT,
                    head,
                    "",
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
                    "/call",
                    "before",
                    "after",
                    "cores",
                    "")
                .stripTrailing()
            + "\n");
    List<Cell> sorted = new ArrayList<>(cells);
    sorted.sort(
        Comparator.comparing(Cell::result, ORDER).thenComparingInt(c -> c.result().round()));
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
                  "%-29s %9d %8s"
                      + (rounds ? " %5s" : "%s")
                      + " %10.0f %9.0f %9.0f %9.0f %6s %9s %9s %7s %9s %9s %6s %6s %6s %s",
                  r.variant(),
                  r.inFlight(),
                  ChartSvg.bytes(r.payloadBytes()),
                  rounds ? Integer.toString(r.round()) : "",
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
                      : String.format(Locale.ROOT, "%.2f", e.jvmContextSwitchesPerCall()),
                  load(r.loadBefore()),
                  load(r.loadAfter()),
                  load(r.otherCpu()),
                  r.busy() ? "BUSY" : "")
              .stripTrailing());
      b.append('\n');
    }
    return b.toString();
  }

  /** A load average or CPU in cores, or {@code -} when unknown. */
  static String load(double load) {
    return Double.isNaN(load) ? "-" : String.format(Locale.ROOT, "%.2f", load);
  }

  /**
   * The machine's load during the run: a warning with the number of busy cells (other processes
   * used more than a quarter of the {@code cores}), or when none was, the range of the CPU other
   * processes used and of the 1-minute load average.
   */
  static String loadSummary(List<BenchResult> results, int cores) {
    double[] other = range(results.stream().mapToDouble(BenchResult::otherCpu));
    double[] load =
        range(
            results.stream().flatMapToDouble(r -> DoubleStream.of(r.loadBefore(), r.loadAfter())));
    if (other == null && load == null) {
      return "# other processes' CPU and load average not recorded (no /proc)\n";
    }
    String otherRange =
        other == null
            ? "other processes' CPU not recorded (no /proc/stat)"
            : String.format(
                Locale.ROOT, "other processes used %.2f to %.2f cores", other[0], other[1]);
    String loadRange =
        load == null
            ? "1-minute load average not recorded"
            : String.format(
                Locale.ROOT,
                "1-minute load average %.2f to %.2f, the bench's own threads included",
                load[0],
                load[1]);
    String threshold =
        String.format(
            Locale.ROOT,
            "%s cores (a quarter of the %d)",
            trimCores(Machine.busyOtherCpu(cores)),
            cores);
    long busy = results.stream().filter(BenchResult::busy).count();
    if (busy == 0) {
      return String.format(
          Locale.ROOT,
          "# %s during the cells, at most %s throughout; %s%n",
          otherRange,
          threshold,
          loadRange);
    }
    return String.format(
        Locale.ROOT,
        "WARNING: busy machine: %d of %d cells ran while other processes used more than %s,"
            + " BUSY in the table; over the run %s, %s. Their numbers can be off by 2x: compare"
            + " ratios, rerun on a quiet machine or with --repeat.%n",
        busy,
        results.size(),
        threshold,
        otherRange,
        loadRange);
  }

  /** The lowest and highest of {@code values} that are known (not NaN), or null when none is. */
  private static double[] range(DoubleStream values) {
    DoubleSummaryStatistics s = values.filter(v -> !Double.isNaN(v)).summaryStatistics();
    return s.getCount() == 0 ? null : new double[] {s.getMin(), s.getMax()};
  }

  /** A number of cores with no trailing zeros: 1, 0.5, 0.75. */
  static String trimCores(double cores) {
    return BigDecimal.valueOf(cores).stripTrailingZeros().toPlainString();
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
    boolean rounds = rounds(measured) > 1;
    StringBuilder head1 =
        new StringBuilder(
            String.format(Locale.ROOT, "%-29s %9s %8s", "system", "in_flight", "payload"));
    StringBuilder head2 =
        new StringBuilder(String.format(Locale.ROOT, "%-29s %9s %8s", "", "", ""));
    if (rounds) {
      head1.append(String.format(Locale.ROOT, " %5s", "round"));
      head2.append(String.format(Locale.ROOT, " %5s", ""));
    }
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
        Comparator.comparing(Cell::result, ORDER).thenComparingInt(c -> c.result().round()));
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
      if (rounds) {
        b.append(String.format(Locale.ROOT, " %5d", r.round()));
      }
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

  /**
   * Redis commands per call, by command, for each system at the highest load measured; over several
   * rounds, the median of each command's count.
   */
  static String breakdown(List<Cell> cells) {
    StringBuilder b = new StringBuilder();
    int maxInFlight = cells.stream().mapToInt(c -> c.result().inFlight()).max().orElse(1);
    int minPayload = cells.stream().mapToInt(c -> c.result().payloadBytes()).min().orElse(0);
    b.append("Redis commands per call at ")
        .append(maxInFlight)
        .append(" in flight, ")
        .append(ChartSvg.bytes(minPayload))
        .append(" (INFO commandstats; includes commands run by Lua scripts")
        .append(rounds(cells) > 1 ? "; median of the rounds" : "")
        .append("):\n");
    Map<String, List<Map<String, Double>>> byVariant =
        new TreeMap<>(
            Comparator.comparingInt(Report::order).thenComparing(Comparator.naturalOrder()));
    for (Cell c : cells) {
      if (c.extras() != null
          && c.result().inFlight() == maxInFlight
          && c.result().payloadBytes() == minPayload
          && !c.result().system().equals("nats")) {
        byVariant
            .computeIfAbsent(c.result().variant(), v -> new ArrayList<>())
            .add(c.extras().commandBreakdown());
      }
    }
    byVariant.forEach(
        (variant, counts) -> {
          Map<String, Double> median = new HashMap<>();
          counts.stream()
              .flatMap(m -> m.keySet().stream())
              .distinct()
              .forEach(
                  command ->
                      median.put(
                          command,
                          Targets.Spread.of(
                                  counts.stream().map(m -> m.getOrDefault(command, 0.0)).toList())
                              .median()));
          b.append(
              String.format(
                  Locale.ROOT,
                  "  %-29s %s%n",
                  variant,
                  median.entrySet().stream()
                      .filter(en -> en.getValue() >= 0.005)
                      .sorted(
                          Map.Entry.<String, Double>comparingByValue()
                              .reversed()
                              .thenComparing(Map.Entry.comparingByKey()))
                      .map(en -> String.format(Locale.ROOT, "%s %.2f", en.getKey(), en.getValue()))
                      .collect(Collectors.joining(", "))));
        });
    return b.toString();
  }

  private static int order(String variant) {
    List<String> known =
        List.of(
            "floor",
            "redisrpc msgpack",
            "redisrpc msgpack idempotent",
            "redisrpc msgpack signed",
            "redisrpc json",
            "redisrpc json idempotent",
            "nats",
            "redisson");
    int i = known.indexOf(variant);
    return i < 0 ? known.size() : i;
  }

  /** The ratio table's columns, in order. */
  private static final List<Targets.Measure> RATIO_COLUMNS =
      List.of(
          Targets.Measure.THR_FLOOR,
          Targets.Measure.THR_REDISSON,
          Targets.Measure.THR_NATS,
          Targets.Measure.P50_FLOOR,
          Targets.Measure.P99_FLOOR,
          Targets.Measure.THR_DEFAULT,
          Targets.Measure.THR_MSGPACK);

  /** The moonshot table's columns, in order. */
  private static final List<Targets.Measure> MOONSHOT_COLUMNS =
      List.of(Targets.Measure.THR_FLOOR, Targets.Measure.THR_NATS, Targets.Measure.REDIS_CMDS);

  /** redisrpc divided by each peer under the same load, of results without their extras. */
  static String ratios(List<BenchResult> results) {
    return ratios(Targets.ofResults(results));
  }

  /**
   * redisrpc divided by each peer under the same load: over several rounds the median of the
   * rounds' ratios and their range; each ratio that has a target is marked {@code ok} or {@code
   * MISS}. Then, when a workload ran at 256 in flight, the moonshot's table.
   */
  static String ratios(Targets targets) {
    StringBuilder b = new StringBuilder();
    b.append(
        "Ratios, redisrpc / peer under the same load (throughput: higher is better; latency: lower"
            + " is better)\n");
    if (targets.rounds() > 1) {
      b.append("  each the median over ")
          .append(targets.rounds())
          .append(" rounds of the ratio within a round, then [lowest-highest]\n");
    }
    b.append(
        "  ok / MISS: the issue's target on this ratio met / missed (judged on the median); no"
            + " mark: no target\n");
    b.append(
        "  thr/default: idempotent or signed (sharedSecret) against default endpoints;"
            + " thr/msgpack: JSON against MessagePack\n");
    List<String[]> rows = new ArrayList<>();
    List<String> head = new ArrayList<>(List.of("redisrpc", "in_flight", "payload"));
    RATIO_COLUMNS.forEach(m -> head.add(m.label));
    rows.add(head.toArray(String[]::new));
    for (Targets.Case at : targets.cases()) {
      List<String> row =
          new ArrayList<>(
              List.of(
                  at.variant(),
                  Integer.toString(at.inFlight()),
                  ChartSvg.bytes(at.payloadBytes())));
      for (Targets.Measure m : RATIO_COLUMNS) {
        row.add(cell(targets, at, m, false));
      }
      rows.add(row.toArray(String[]::new));
    }
    b.append(columns(rows));
    List<Targets.Case> top = targets.cases().stream().filter(c -> c.inFlight() == 256).toList();
    if (!top.isEmpty()) {
      b.append('\n')
          .append(
              "Moonshot, at 256 in flight: throughput >= 1.0x the floor and >= 1.0x NATS, with"
                  + " fewer Redis commands per call than the floor's 2\n");
      List<String[]> moon = new ArrayList<>();
      List<String> moonHead = new ArrayList<>(List.of("redisrpc", "payload"));
      MOONSHOT_COLUMNS.forEach(m -> moonHead.add(m.label));
      moon.add(moonHead.toArray(String[]::new));
      for (Targets.Case at : top) {
        List<String> row =
            new ArrayList<>(List.of(at.variant(), ChartSvg.bytes(at.payloadBytes())));
        for (Targets.Measure m : MOONSHOT_COLUMNS) {
          row.add(cell(targets, at, m, true));
        }
        moon.add(row.toArray(String[]::new));
      }
      b.append(columns(moon));
    }
    return b.toString();
  }

  /** One ratio of the table: {@code -} when not measured, with the mark of its target if any. */
  private static String cell(
      Targets targets, Targets.Case at, Targets.Measure m, boolean moonshot) {
    Targets.Spread value = targets.spread(m, at);
    if (value == null) {
      return "-";
    }
    Targets.Verdict verdict = targets.verdict(at, m, moonshot);
    return value.format(m.ratio) + (verdict == null ? "" : verdict.met() ? " ok" : " MISS");
  }

  /** {@code rows} as columns as wide as their widest cell: the first left-aligned. */
  private static String columns(List<String[]> rows) {
    int[] width = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    width[0] = Math.max(width[0], 29);
    StringBuilder b = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(
            i == 0
                ? String.format(Locale.ROOT, "%-" + width[i] + "s", row[i])
                : String.format(Locale.ROOT, "  %" + width[i] + "s", row[i]));
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    return b.toString();
  }

  /** The targets, of results without their extras. */
  static String targets(List<BenchResult> results) {
    return Targets.ofResults(results).summary();
  }
}
