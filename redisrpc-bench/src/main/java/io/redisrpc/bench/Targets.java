package io.redisrpc.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * redisrpc's ratios to its peers, and the targets judged on them. A ratio is taken within
 * each round of {@code --repeat}, between cells of the same load measured in the same round, then
 * summed up over the rounds as its median and range; a target is judged on the median.
 */
final class Targets {
  /** What a ratio compares: a column of the ratio tables. */
  enum Measure {
    THR_FLOOR("thr/floor", true),
    THR_REDISSON("thr/redisson", true),
    THR_NATS("thr/nats", true),
    P50_FLOOR("p50/floor", true),
    P99_FLOOR("p99/floor", true),
    THR_DEFAULT("thr/default", true),
    THR_MSGPACK("thr/msgpack", true),
    REDIS_CMDS("redis_cmd/call", false);

    final String label;
    final boolean ratio;

    Measure(String label, boolean ratio) {
      this.label = label;
      this.ratio = ratio;
    }

    /** Whether it compares latencies (lower is better) rather than throughput or commands. */
    boolean latency() {
      return this == P50_FLOOR || this == P99_FLOOR;
    }

    /**
     * The variant {@code r} is divided by, null when this measure does not apply to {@code r}:
     * {@code thr/default} is an idempotent or signed variant against the default endpoints of its
     * codec, {@code thr/msgpack} a JSON variant against MessagePack with the same endpoints; {@code
     * redis_cmd/call} has none.
     */
    String peer(BenchResult r) {
      return switch (this) {
        case THR_FLOOR, P50_FLOOR, P99_FLOOR -> "floor";
        case THR_REDISSON -> "redisson";
        case THR_NATS -> "nats";
        case THR_DEFAULT ->
            r.workload().equals("default")
                ? null
                : BenchResult.variantOf("redisrpc", r.codec(), "default");
        case THR_MSGPACK ->
            r.codec().equals("json")
                ? BenchResult.variantOf("redisrpc", "msgpack", r.workload())
                : null;
        case REDIS_CMDS -> null;
      };
    }

    /**
     * Its value for {@code cell} against {@code peer} (of the same round); NaN when unknown, as a
     * latency is when no call completed.
     */
    double value(Report.Cell cell, BenchResult peer) {
      BenchResult r = cell.result();
      return switch (this) {
        case THR_FLOOR, THR_REDISSON, THR_NATS, THR_DEFAULT, THR_MSGPACK ->
            divide(r.callsPerS(), peer.callsPerS());
        // No call completed: no latency to compare.
        case P50_FLOOR -> r.callsPerS() > 0 ? divide(r.p50Us(), peer.p50Us()) : Double.NaN;
        case P99_FLOOR -> r.callsPerS() > 0 ? divide(r.p99Us(), peer.p99Us()) : Double.NaN;
        case REDIS_CMDS ->
            cell.extras() == null ? Double.NaN : cell.extras().redisCommandsPerCall();
      };
    }

    private static double divide(double num, double den) {
      return den > 0 && !Double.isNaN(num) ? num / den : Double.NaN;
    }
  }

  /** How a value meets its limit. */
  enum Bound {
    AT_LEAST(">="),
    AT_MOST("<="),
    BELOW("<");

    final String symbol;

    Bound(String symbol) {
      this.symbol = symbol;
    }

    boolean met(double value, double limit) {
      return switch (this) {
        case AT_LEAST -> value >= limit;
        case AT_MOST -> value <= limit;
        case BELOW -> value < limit;
      };
    }

    /** Whether {@code a} is further from meeting the limit than {@code b}. */
    boolean worse(double a, double b) {
      return this == AT_LEAST ? a < b : a > b;
    }
  }

  /**
   * One of the targets: {@code measure} of every redisrpc result {@code applies} to, within
   * {@code limit}; a {@code moonshot} is a target beyond the issue's own.
   */
  record Target(
      String name,
      Measure measure,
      Predicate<BenchResult> applies,
      Bound bound,
      double limit,
      boolean moonshot) {}

  /** The targets, the moonshot last. */
  static final List<Target> ALL =
      List.of(
          new Target(
              "sequential p50 <= 1.3x floor",
              Measure.P50_FLOOR,
              r -> r.inFlight() == 1,
              Bound.AT_MOST,
              1.3,
              false),
          new Target(
              "64/256 in flight: throughput >= 0.8x floor",
              Measure.THR_FLOOR,
              r -> r.inFlight() >= 64,
              Bound.AT_LEAST,
              0.8,
              false),
          new Target(
              "64/256 in flight: throughput >= 20x Redisson",
              Measure.THR_REDISSON,
              r -> r.inFlight() >= 64,
              Bound.AT_LEAST,
              20,
              false),
          new Target(
              "64/256 in flight: p99 <= 2x floor",
              Measure.P99_FLOOR,
              r -> r.inFlight() >= 64,
              Bound.AT_MOST,
              2.0,
              false),
          new Target(
              "idempotent throughput >= 0.8x default",
              Measure.THR_DEFAULT,
              r -> r.inFlight() >= 64 && r.workload().equals("idempotent"),
              Bound.AT_LEAST,
              0.8,
              false),
          new Target(
              "JSON throughput >= 0.8x MessagePack",
              Measure.THR_MSGPACK,
              r -> r.codec().equals("json"),
              Bound.AT_LEAST,
              0.8,
              false),
          new Target(
              "sharedSecret throughput >= 0.7x without",
              Measure.THR_DEFAULT,
              r -> r.workload().equals("signed"),
              Bound.AT_LEAST,
              0.7,
              false),
          new Target(
              "moonshot: 256 in flight >= 1.0x floor",
              Measure.THR_FLOOR,
              r -> r.inFlight() == 256,
              Bound.AT_LEAST,
              1.0,
              true),
          new Target(
              "moonshot: 256 in flight >= 1.0x NATS",
              Measure.THR_NATS,
              r -> r.inFlight() == 256,
              Bound.AT_LEAST,
              1.0,
              true),
          new Target(
              "moonshot: 256 in flight < 2 Redis commands/call",
              Measure.REDIS_CMDS,
              r -> r.inFlight() == 256,
              Bound.BELOW,
              2.0,
              true));

  /** A value over the rounds: its median, lowest and highest, of {@code rounds} values. */
  record Spread(double median, double min, double max, int rounds) {
    /** The spread of {@code values} (NaN left out); null when none is left. */
    static Spread of(List<Double> values) {
      List<Double> known =
          values.stream().filter(v -> !Double.isNaN(v)).sorted(Comparator.naturalOrder()).toList();
      if (known.isEmpty()) {
        return null;
      }
      int n = known.size();
      double median = n % 2 == 1 ? known.get(n / 2) : (known.get(n / 2 - 1) + known.get(n / 2)) / 2;
      return new Spread(median, known.get(0), known.get(n - 1), n);
    }

    /**
     * {@code 0.90x}, or over several rounds {@code 0.90x [0.85-0.95]}: the median, then the lowest
     * and the highest; without the {@code x} when not a ratio.
     */
    String format(boolean ratio) {
      String x = ratio ? "x" : "";
      String median = String.format(Locale.ROOT, "%.2f%s", this.median, x);
      return rounds <= 1 ? median : median + String.format(Locale.ROOT, " [%.2f-%.2f]", min, max);
    }
  }

  /** A redisrpc variant under one load. */
  record Case(String variant, int inFlight, int payloadBytes) {
    static Case of(BenchResult r) {
      return new Case(r.variant(), r.inFlight(), r.payloadBytes());
    }

    String describe() {
      return variant + ", " + inFlight + " in flight, " + ChartSvg.bytes(payloadBytes);
    }
  }

  /** A target judged on one case: met when the median of its value over the rounds is. */
  record Verdict(Target target, Case at, Spread value, boolean met) {}

  /** The cells of each case, by round. */
  private final Map<Case, Map<Integer, Report.Cell>> cells = new LinkedHashMap<>();

  private final Map<Case, BenchResult> representative = new LinkedHashMap<>();
  private final int rounds;
  private final List<Verdict> verdicts = new ArrayList<>();

  private Targets(List<Report.Cell> all) {
    int most = 1;
    for (Report.Cell c : all) {
      Case k = Case.of(c.result());
      cells.computeIfAbsent(k, x -> new TreeMap<>()).put(c.result().round(), c);
      representative.putIfAbsent(k, c.result());
      most = Math.max(most, c.result().round());
    }
    this.rounds = most;
    for (Target t : ALL) {
      for (Map.Entry<Case, BenchResult> e : representative.entrySet()) {
        BenchResult r = e.getValue();
        if (!r.system().equals("redisrpc") || !t.applies().test(r)) {
          continue;
        }
        Spread value = spread(t.measure(), e.getKey());
        if (value != null) {
          verdicts.add(new Verdict(t, e.getKey(), value, t.bound().met(value.median(), t.limit())));
        }
      }
    }
  }

  /** The ratios and verdicts of {@code cells}, of one round or several. */
  static Targets of(List<Report.Cell> cells) {
    return new Targets(cells);
  }

  /** {@link #of} for results without their extras: no Redis commands per call. */
  static Targets ofResults(List<BenchResult> results) {
    return of(results.stream().map(r -> new Report.Cell(r, null)).toList());
  }

  /** The most rounds of any cell. */
  int rounds() {
    return rounds;
  }

  /**
   * {@code measure} of the redisrpc case {@code at} over the rounds, each round's value against the
   * peer of the same round; null when it does not apply or nothing was measured.
   */
  Spread spread(Measure measure, Case at) {
    Map<Integer, Report.Cell> ours = cells.get(at);
    if (ours == null) {
      return null;
    }
    BenchResult any = representative.get(at);
    String peerVariant = measure.peer(any);
    if (peerVariant == null && measure != Measure.REDIS_CMDS) {
      return null;
    }
    Map<Integer, Report.Cell> peers =
        peerVariant == null
            ? Map.of()
            : cells.getOrDefault(new Case(peerVariant, at.inFlight(), at.payloadBytes()), Map.of());
    List<Double> values = new ArrayList<>();
    for (Map.Entry<Integer, Report.Cell> e : ours.entrySet()) {
      Report.Cell peer = peers.get(e.getKey());
      if (peerVariant != null && peer == null) {
        continue;
      }
      values.add(measure.value(e.getValue(), peer == null ? null : peer.result()));
    }
    return Spread.of(values);
  }

  /** The redisrpc cases, by load, then variant in the report's order. */
  List<Case> cases() {
    return representative.values().stream()
        .filter(r -> r.system().equals("redisrpc"))
        .sorted(Report.ORDER)
        .map(Case::of)
        .toList();
  }

  /** Every verdict, target by target. */
  List<Verdict> verdicts() {
    return verdicts;
  }

  /** The verdicts on {@code at}, target by target. */
  List<Verdict> verdicts(Case at) {
    return verdicts.stream().filter(v -> v.at().equals(at)).toList();
  }

  /** The verdict of the (moonshot or not) target of {@code measure} on {@code at}; null if none. */
  Verdict verdict(Case at, Measure measure, boolean moonshot) {
    for (Verdict v : verdicts) {
      if (v.at().equals(at)
          && v.target().measure() == measure
          && v.target().moonshot() == moonshot) {
        return v;
      }
    }
    return null;
  }

  /** The summary: each target met or missed, over how many cases, with the worst one. */
  String summary() {
    StringBuilder b =
        new StringBuilder(
            rounds <= 1
                ? "Targets (ratios from this one run):\n"
                : "Targets (each case judged on the median of its "
                    + rounds
                    + " rounds' ratios; [lowest-highest] beside it):\n");
    int width = ALL.stream().mapToInt(t -> t.name().length()).max().orElse(40);
    for (Target t : ALL) {
      List<Verdict> mine = verdicts.stream().filter(v -> v.target() == t).toList();
      Verdict worst = null;
      int met = 0;
      for (Verdict v : mine) {
        if (v.met()) {
          met++;
        }
        if (worst == null || t.bound().worse(v.value().median(), worst.value().median())) {
          worst = v;
        }
      }
      String status = mine.isEmpty() ? "n/a   " : met == mine.size() ? "met   " : "MISSED";
      b.append(String.format(Locale.ROOT, "  [%s] %-" + width + "s", status, t.name()));
      if (worst != null) {
        b.append(
            String.format(
                Locale.ROOT,
                " %d/%d cases met; worst %s (%s)",
                met,
                mine.size(),
                worst.value().format(t.measure().ratio),
                worst.at().describe()));
      } else {
        b.append(" (no redisrpc result with its peer in this run)");
      }
      b.append('\n');
    }
    return b.toString();
  }
}
