package io.redisrpc.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes results as {@code results.json}, {@code results.csv} and {@code chart.svg}. */
public final class ResultsWriter {
  /**
   * The fields of each record, in order, as the benchmark issue lists them. A run on a Redis
   * Cluster adds {@code nodes} to each JSON record of a Redis system (each primary's {@code node},
   * {@code commands_pct} and {@code redis_cpu_pct}) and matching columns to the CSV; then come
   * {@link #ROUND_FIELDS}.
   */
  public static final List<String> FIELDS =
      List.of(
          "system",
          "codec",
          "workload",
          "in_flight",
          "payload_bytes",
          "calls_per_s",
          "p50_us",
          "p99_us",
          "p999_us");

  /**
   * The fields every record ends with, after {@link #FIELDS} (and a cluster's shares by node), so
   * that a reader of the earlier files, which end before them, reads these unchanged: the round of
   * {@code --repeat} (from 1), the 1-minute load average when the cell started and when its
   * measurement ended, whether other processes used more than a quarter of the cores during it, and
   * how much CPU they used, in cores ({@code other_cpu}, added last for the same reason). A reading
   * that is unknown is {@code null} in JSON and empty in CSV.
   */
  public static final List<String> ROUND_FIELDS =
      List.of("round", "load_1m_before", "load_1m_after", "busy", "other_cpu");

  private ResultsWriter() {}

  /**
   * Writes the three files into {@code dir}, creating it; returns their paths. The chart's targets
   * are judged on {@code results} alone.
   */
  public static List<Path> writeAll(Path dir, List<BenchResult> results, String subtitle)
      throws IOException {
    return writeAll(dir, results, subtitle, Targets.ofResults(results));
  }

  /** {@link #writeAll(Path, List, String)} with the chart marked with {@code targets}. */
  static List<Path> writeAll(Path dir, List<BenchResult> results, String subtitle, Targets targets)
      throws IOException {
    Files.createDirectories(dir);
    Path json = dir.resolve("results.json");
    Path csv = dir.resolve("results.csv");
    Path svg = dir.resolve("chart.svg");
    Files.writeString(json, json(results), StandardCharsets.UTF_8);
    Files.writeString(csv, csv(results), StandardCharsets.UTF_8);
    Files.writeString(svg, ChartSvg.render(results, subtitle, targets), StandardCharsets.UTF_8);
    return List.of(json, csv, svg);
  }

  /** The JSON array of records. */
  public static String json(List<BenchResult> results) {
    List<Map<String, Object>> records = new ArrayList<>();
    for (BenchResult r : results) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("system", r.system());
      m.put("codec", r.codec());
      m.put("workload", r.workload());
      m.put("in_flight", r.inFlight());
      m.put("payload_bytes", r.payloadBytes());
      m.put("calls_per_s", round1(r.callsPerS()));
      m.put("p50_us", round1(r.p50Us()));
      m.put("p99_us", round1(r.p99Us()));
      m.put("p999_us", round1(r.p999Us()));
      if (!r.nodes().isEmpty()) {
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (BenchResult.NodeShare n : r.nodes()) {
          Map<String, Object> node = new LinkedHashMap<>();
          node.put("node", n.node());
          node.put("commands_pct", round1(n.commandsPct()));
          node.put("redis_cpu_pct", round1(n.redisCpuPct()));
          nodes.add(node);
        }
        m.put("nodes", nodes);
      }
      m.put("round", r.round());
      m.put("load_1m_before", round2OrNull(r.loadBefore()));
      m.put("load_1m_after", round2OrNull(r.loadAfter()));
      m.put("busy", r.busy());
      m.put("other_cpu", round2OrNull(r.otherCpu()));
      records.add(m);
    }
    try {
      return new ObjectMapper()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(records)
          + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The CSV: a header line of {@link #FIELDS}, then one line per record. On a Redis Cluster the
   * header goes on with {@code node1}, {@code node1_commands_pct}, {@code node1_redis_cpu_pct} and
   * the same for each further primary: its address, its share of the workload's Redis commands and
   * of its Redis CPU (empty for a system that is not Redis). Every line ends with {@link
   * #ROUND_FIELDS}.
   */
  public static String csv(List<BenchResult> results) {
    int nodeColumns = results.stream().mapToInt(r -> r.nodes().size()).max().orElse(0);
    StringBuilder b = new StringBuilder(String.join(",", FIELDS));
    for (int i = 1; i <= nodeColumns; i++) {
      b.append(",node")
          .append(i)
          .append(",node")
          .append(i)
          .append("_commands_pct,node")
          .append(i)
          .append("_redis_cpu_pct");
    }
    ROUND_FIELDS.forEach(f -> b.append(',').append(f));
    b.append('\n');
    for (BenchResult r : results) {
      b.append(csvField(r.system()))
          .append(',')
          .append(csvField(r.codec()))
          .append(',')
          .append(csvField(r.workload()))
          .append(',')
          .append(r.inFlight())
          .append(',')
          .append(r.payloadBytes())
          .append(',')
          .append(format1(r.callsPerS()))
          .append(',')
          .append(format1(r.p50Us()))
          .append(',')
          .append(format1(r.p99Us()))
          .append(',')
          .append(format1(r.p999Us()));
      for (int i = 0; i < nodeColumns; i++) {
        if (i < r.nodes().size()) {
          BenchResult.NodeShare n = r.nodes().get(i);
          b.append(',')
              .append(csvField(n.node()))
              .append(',')
              .append(format1(n.commandsPct()))
              .append(',')
              .append(format1(n.redisCpuPct()));
        } else {
          b.append(",,,");
        }
      }
      b.append(',')
          .append(r.round())
          .append(',')
          .append(format2OrEmpty(r.loadBefore()))
          .append(',')
          .append(format2OrEmpty(r.loadAfter()))
          .append(',')
          .append(r.busy())
          .append(',')
          .append(format2OrEmpty(r.otherCpu()));
      b.append('\n');
    }
    return b.toString();
  }

  private static String csvField(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }

  static double round1(double v) {
    return Math.round(v * 10.0) / 10.0;
  }

  private static Double round2OrNull(double v) {
    return Double.isNaN(v) ? null : Math.round(v * 100.0) / 100.0;
  }

  private static String format2OrEmpty(double v) {
    return Double.isNaN(v) ? "" : format2(v);
  }

  static String format2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static String format1(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
