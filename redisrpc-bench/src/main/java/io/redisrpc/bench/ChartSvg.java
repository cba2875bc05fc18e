package io.redisrpc.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A hand-written SVG of the results: throughput bars, then latency percentiles (p50, p99, p99.9 on
 * a log scale), one panel per workload (calls in flight by payload size), one row per system. Over
 * several rounds each bar and mark is the median of the rounds, a bar's whisker their range. Each
 * redisrpc row is marked with the targets on it: met or missed.
 */
public final class ChartSvg {
  private static final int WIDTH = 1200;
  private static final int MARGIN = 20;
  private static final int GAP = 24;
  private static final int LABEL_W = 170;
  private static final int VALUE_W = 92;
  private static final int LAT_VALUE_W = 150;
  private static final int ROW_H = 17;
  private static final int BAR_H = 11;
  private static final int CELL_TITLE_H = 22;
  private static final int AXIS_H = 22;

  /** Known variants in display order, with their colours. */
  private static final Map<String, String> COLORS = new LinkedHashMap<>();

  static {
    COLORS.put("floor", "#555555");
    COLORS.put("redisrpc msgpack", "#1f6fb4");
    COLORS.put("redisrpc msgpack idempotent", "#7fb2de");
    COLORS.put("redisrpc msgpack signed", "#6a3d9a");
    COLORS.put("redisrpc json", "#2a9d3a");
    COLORS.put("redisrpc json idempotent", "#93d69a");
    COLORS.put("nats", "#f08c00");
    COLORS.put("redisson", "#d62728");
  }

  /** The marks of met and missed targets, and of the moonshot's. */
  static final String MET = "\u2713";

  static final String MISSED = "\u2717";
  static final String MOONSHOT_MET = "\u2605";
  static final String MOONSHOT_MISSED = "\u2606";

  private static final String MET_COLOR = "#2a9d3a";
  private static final String MISSED_COLOR = "#d62728";
  private static final String MOONSHOT_COLOR = "#c79100";

  private static final String[] EXTRA_COLORS = {
    "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"
  };

  private ChartSvg() {}

  /**
   * The chart of {@code results}, with the targets judged on them alone (so without the moonshot's
   * Redis commands per call); {@code subtitle} describes the machine and the run.
   */
  public static String render(List<BenchResult> results, String subtitle) {
    return render(results, subtitle, Targets.ofResults(results));
  }

  /** The chart of {@code results}, marked with {@code targets}' verdicts. */
  static String render(List<BenchResult> results, String subtitle, Targets targets) {
    List<String> variants = variants(results);
    Map<String, String> colors = colors(variants);
    List<Integer> inFlights =
        new ArrayList<>(new TreeSet<>(results.stream().map(BenchResult::inFlight).toList()));
    List<Integer> payloads =
        new ArrayList<>(new TreeSet<>(results.stream().map(BenchResult::payloadBytes).toList()));
    int cols = Math.max(1, inFlights.size());
    int rows = Math.max(1, payloads.size());
    int cellW = (WIDTH - 2 * MARGIN - (cols - 1) * GAP) / cols;
    int cellH = CELL_TITLE_H + Math.max(1, variants.size()) * ROW_H + AXIS_H;

    StringBuilder s = new StringBuilder();
    int y = MARGIN;
    int headerH = 88;
    int sectionTitleH = 28;
    int gridH = rows * cellH + (rows - 1) * GAP;
    // Latency panels need width for their log axis: one column per payload, one row per load.
    int latCols = rows;
    int latRows = cols;
    int latCellW = (WIDTH - 2 * MARGIN - (latCols - 1) * GAP) / latCols;
    int latGridH = latRows * cellH + (latRows - 1) * GAP;
    int height = y + headerH + 2 * sectionTitleH + gridH + GAP + latGridH + 12;
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(height)
        .append("\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n");
    s.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    text(
        s,
        MARGIN,
        y + 16,
        "redisrpc bench: echo calls per second and latency",
        "font-size=\"18\" font-weight=\"bold\"");
    text(s, MARGIN, y + 34, subtitle, "fill=\"#444444\"");
    // Legend.
    int lx = MARGIN;
    int ly = y + 52;
    for (String v : variants) {
      s.append("<rect x=\"")
          .append(lx)
          .append("\" y=\"")
          .append(ly - 9)
          .append("\" width=\"12\" height=\"10\" fill=\"")
          .append(colors.get(v))
          .append("\"/>\n");
      text(s, lx + 16, ly, label(v), "");
      lx += 22 + (int) (label(v).length() * 6.2);
    }
    int ky = ly + 18;
    double kx = MARGIN;
    String[][] keys = {
      {MET, MET_COLOR, "every target on this redisrpc bar or latency row met"},
      {MISSED, MISSED_COLOR, "a target missed"},
      {MOONSHOT_MET, MOONSHOT_COLOR, "moonshot met"},
      {MOONSHOT_MISSED, MOONSHOT_COLOR, "moonshot missed"},
    };
    for (String[] key : keys) {
      mark(s, kx, ky, key[0], key[1], "");
      text(s, kx + 14, ky, key[2], "");
      kx += 36 + key[2].length() * 6.0;
    }
    text(
        s,
        kx,
        ky,
        "(hover a mark for each target"
            + (targets.rounds() > 1
                ? "; medians of " + targets.rounds() + " rounds, whiskers: their range)"
                : ")"),
        "fill=\"#444444\"");
    y += headerH;

    // Throughput.
    text(
        s,
        MARGIN,
        y + 18,
        "Throughput, calls/s (higher is better; each panel has its own linear scale)",
        "font-size=\"14\" font-weight=\"bold\"");
    y += sectionTitleH;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        int x0 = MARGIN + c * (cellW + GAP);
        int y0 = y + r * (cellH + GAP);
        throughputCell(
            s,
            x0,
            y0,
            cellW,
            results,
            targets,
            variants,
            colors,
            inFlights.isEmpty() ? 1 : inFlights.get(c),
            payloads.isEmpty() ? 0 : payloads.get(r));
      }
    }
    y += gridH + GAP;

    // Latency.
    text(
        s,
        MARGIN,
        y + 18,
        "Latency, µs (lower is better; log scale): ● p50   ┃ p99   ○ p99.9   (numbers: p50 / p99 / p99.9)",
        "font-size=\"14\" font-weight=\"bold\"");
    y += sectionTitleH;
    double min =
        results.stream().mapToDouble(BenchResult::p50Us).filter(v -> v > 0).min().orElse(10);
    double max = results.stream().mapToDouble(BenchResult::p999Us).max().orElse(1000);
    int lo = (int) Math.floor(Math.log10(Math.max(1, min)));
    int hi = (int) Math.ceil(Math.log10(Math.max(max, Math.pow(10, lo + 1))));
    if (hi <= lo) {
      hi = lo + 1;
    }
    for (int r = 0; r < latRows; r++) {
      for (int c = 0; c < latCols; c++) {
        int x0 = MARGIN + c * (latCellW + GAP);
        int y0 = y + r * (cellH + GAP);
        latencyCell(
            s,
            x0,
            y0,
            latCellW,
            results,
            targets,
            variants,
            colors,
            inFlights.isEmpty() ? 1 : inFlights.get(r),
            payloads.isEmpty() ? 0 : payloads.get(c),
            lo,
            hi);
      }
    }
    s.append("</svg>\n");
    return s.toString();
  }

  private static void throughputCell(
      StringBuilder s,
      int x0,
      int y0,
      int w,
      List<BenchResult> results,
      Targets targets,
      List<String> variants,
      Map<String, String> colors,
      int inFlight,
      int payload) {
    text(s, x0, y0 + 14, workloadTitle(inFlight, payload), "font-weight=\"bold\"");
    int barX = x0 + LABEL_W;
    int barW = w - LABEL_W - VALUE_W;
    double max = 0;
    for (BenchResult r : results) {
      if (r.inFlight() == inFlight && r.payloadBytes() == payload) {
        max = Math.max(max, r.callsPerS());
      }
    }
    double scaleMax = niceCeiling(max);
    int top = y0 + CELL_TITLE_H;
    int bottom = top + variants.size() * ROW_H;
    // Grid lines at quarters.
    for (int i = 0; i <= 4; i++) {
      double x = barX + barW * i / 4.0;
      line(s, x, top - 2, x, bottom, "#e3e3e3");
      text(
          s,
          x,
          bottom + 13,
          compact(scaleMax * i / 4.0),
          "text-anchor=\"middle\" fill=\"#666666\" font-size=\"10\"");
    }
    int row = 0;
    for (String v : variants) {
      int ry = top + row * ROW_H;
      text(s, barX - 6, ry + BAR_H - 1, label(v), "text-anchor=\"end\"");
      Median r = median(results, v, inFlight, payload);
      if (r == null) {
        text(s, barX + 4, ry + BAR_H - 1, "not run", "fill=\"#999999\" font-style=\"italic\"");
      } else {
        double bw = scaleMax <= 0 ? 0 : barW * r.callsPerS() / scaleMax;
        s.append("<rect x=\"")
            .append(barX)
            .append("\" y=\"")
            .append(ry + 1)
            .append("\" width=\"")
            .append(fmt(Math.max(bw, 0.5)))
            .append("\" height=\"")
            .append(BAR_H)
            .append("\" fill=\"")
            .append(colors.get(v))
            .append("\"><title>")
            .append(escape(label(v)))
            .append(": ")
            .append(String.format(Locale.ROOT, "%,.0f", r.callsPerS()))
            .append(
                r.rounds() > 1
                    ? String.format(
                        Locale.ROOT,
                        " (median of %d rounds: %,.0f to %,.0f)",
                        r.rounds(),
                        r.calls().min(),
                        r.calls().max())
                    : "")
            .append(" calls/s</title></rect>\n");
        double end = bw;
        if (r.rounds() > 1 && scaleMax > 0) {
          double x1 = barX + barW * r.calls().min() / scaleMax;
          double x2 = barX + barW * r.calls().max() / scaleMax;
          int cy = ry + 1 + BAR_H / 2;
          line(s, x1, cy, x2, cy, "#222222");
          line(s, x1, cy - 3, x1, cy + 3, "#222222");
          line(s, x2, cy - 3, x2, cy + 3, "#222222");
          end = Math.max(end, x2 - barX);
        }
        String value = compact(r.callsPerS());
        text(s, barX + end + 4, ry + BAR_H - 1, value, "");
        marks(
            s,
            barX + end + 8 + value.length() * 6.2,
            ry + BAR_H - 1,
            targets,
            new Targets.Case(v, inFlight, payload),
            false);
      }
      row++;
    }
  }

  private static void latencyCell(
      StringBuilder s,
      int x0,
      int y0,
      int w,
      List<BenchResult> results,
      Targets targets,
      List<String> variants,
      Map<String, String> colors,
      int inFlight,
      int payload,
      int lo,
      int hi) {
    text(s, x0, y0 + 14, workloadTitle(inFlight, payload), "font-weight=\"bold\"");
    int axisX = x0 + LABEL_W;
    int axisW = w - LABEL_W - LAT_VALUE_W;
    int top = y0 + CELL_TITLE_H;
    int bottom = top + variants.size() * ROW_H;
    for (int d = lo; d <= hi; d++) {
      double x = logX(Math.pow(10, d), axisX, axisW, lo, hi);
      line(s, x, top - 2, x, bottom, "#d0d0d0");
      text(
          s,
          x,
          bottom + 13,
          micros(Math.pow(10, d)),
          "text-anchor=\"middle\" fill=\"#666666\" font-size=\"10\"");
      if (d < hi) {
        for (int k = 2; k <= 9; k++) {
          double xm = logX(k * Math.pow(10, d), axisX, axisW, lo, hi);
          line(s, xm, top - 2, xm, bottom, "#f0f0f0");
        }
      }
    }
    int row = 0;
    for (String v : variants) {
      int ry = top + row * ROW_H;
      int cy = ry + BAR_H / 2 + 1;
      text(s, axisX - 6, ry + BAR_H - 1, label(v), "text-anchor=\"end\"");
      Median r = median(results, v, inFlight, payload);
      if (r == null) {
        text(s, axisX + 4, ry + BAR_H - 1, "not run", "fill=\"#999999\" font-style=\"italic\"");
      } else {
        String color = colors.get(v);
        double x50 = logX(r.p50Us(), axisX, axisW, lo, hi);
        double x99 = logX(r.p99Us(), axisX, axisW, lo, hi);
        double x999 = logX(r.p999Us(), axisX, axisW, lo, hi);
        String tip =
            String.format(
                Locale.ROOT,
                "%s: p50 %.0f µs, p99 %.0f µs, p99.9 %.0f µs%s",
                label(v),
                r.p50Us(),
                r.p99Us(),
                r.p999Us(),
                r.rounds() > 1 ? " (medians of " + r.rounds() + " rounds)" : "");
        s.append("<g><title>").append(escape(tip)).append("</title>\n");
        s.append("<line x1=\"")
            .append(fmt(x50))
            .append("\" y1=\"")
            .append(cy)
            .append("\" x2=\"")
            .append(fmt(x999))
            .append("\" y2=\"")
            .append(cy)
            .append("\" stroke=\"")
            .append(color)
            .append("\" stroke-width=\"2\"/>\n");
        s.append("<rect x=\"")
            .append(fmt(x99 - 1.5))
            .append("\" y=\"")
            .append(cy - 6)
            .append("\" width=\"3\" height=\"12\" fill=\"")
            .append(color)
            .append("\"/>\n");
        s.append("<circle cx=\"")
            .append(fmt(x999))
            .append("\" cy=\"")
            .append(cy)
            .append("\" r=\"4\" fill=\"#ffffff\" stroke=\"")
            .append(color)
            .append("\" stroke-width=\"1.5\"/>\n");
        s.append("<circle cx=\"")
            .append(fmt(x50))
            .append("\" cy=\"")
            .append(cy)
            .append("\" r=\"4.5\" fill=\"")
            .append(color)
            .append("\"/>\n");
        s.append("</g>\n");
        String numbers =
            compactMicros(r.p50Us())
                + " / "
                + compactMicros(r.p99Us())
                + " / "
                + compactMicros(r.p999Us());
        text(s, axisX + axisW + 8, ry + BAR_H - 1, numbers, "fill=\"#555555\" font-size=\"10\"");
        marks(
            s,
            axisX + axisW + 12 + numbers.length() * 5.2,
            ry + BAR_H - 1,
            targets,
            new Targets.Case(v, inFlight, payload),
            true);
      }
      row++;
    }
  }

  private static double logX(double value, int axisX, int axisW, int lo, int hi) {
    double v = Math.log10(Math.max(value, Math.pow(10, lo)));
    return axisX + axisW * (Math.min(v, hi) - lo) / (hi - lo);
  }

  /** The variants present, known ones first in their fixed order. */
  static List<String> variants(List<BenchResult> results) {
    TreeSet<String> present = new TreeSet<>();
    for (BenchResult r : results) {
      present.add(r.variant());
    }
    List<String> ordered = new ArrayList<>();
    for (String known : COLORS.keySet()) {
      if (present.remove(known)) {
        ordered.add(known);
      }
    }
    ordered.addAll(present);
    return ordered;
  }

  private static Map<String, String> colors(List<String> variants) {
    Map<String, String> colors = new LinkedHashMap<>();
    int extra = 0;
    for (String v : variants) {
      String known = COLORS.get(v);
      colors.put(v, known != null ? known : EXTRA_COLORS[extra++ % EXTRA_COLORS.length]);
    }
    return colors;
  }

  static String label(String variant) {
    switch (variant) {
      case "floor":
        return "floor (Lettuce pub/sub)";
      case "nats":
        return "NATS request-reply";
      case "redisson":
        return "Redisson RemoteService";
      default:
        return variant.replace(" idempotent", " idem.");
    }
  }

  static String workloadTitle(int inFlight, int payload) {
    String load = inFlight == 1 ? "sequential (1 in flight)" : inFlight + " in flight";
    return load + " · " + bytes(payload) + " echo";
  }

  static String bytes(int n) {
    return n >= 1024 && n % 1024 == 0 ? (n / 1024) + " KiB" : n + " B";
  }

  /** A system under one load over the rounds: the median of each figure, the range of calls/s. */
  private record Median(Targets.Spread calls, double p50Us, double p99Us, double p999Us) {
    double callsPerS() {
      return calls.median();
    }

    int rounds() {
      return calls.rounds();
    }
  }

  private static Median median(
      List<BenchResult> results, String variant, int inFlight, int payload) {
    List<BenchResult> mine =
        results.stream()
            .filter(
                r ->
                    r.variant().equals(variant)
                        && r.inFlight() == inFlight
                        && r.payloadBytes() == payload)
            .toList();
    if (mine.isEmpty()) {
      return null;
    }
    return new Median(
        Targets.Spread.of(mine.stream().map(BenchResult::callsPerS).toList()),
        Targets.Spread.of(mine.stream().map(BenchResult::p50Us).toList()).median(),
        Targets.Spread.of(mine.stream().map(BenchResult::p99Us).toList()).median(),
        Targets.Spread.of(mine.stream().map(BenchResult::p999Us).toList()).median());
  }

  /**
   * At {@code x}, the marks of the targets on {@code at}: those on latency or on the rest; {@link
   * #MET} or {@link #MISSED} for the targets, {@link #MOONSHOT_MET} or {@link
   * #MOONSHOT_MISSED} for the moonshot's, each with the targets and values as its tooltip.
   */
  private static void marks(
      StringBuilder s, double x, double y, Targets targets, Targets.Case at, boolean latency) {
    double mx = x;
    for (boolean moonshot : new boolean[] {false, true}) {
      List<Targets.Verdict> verdicts =
          targets.verdicts(at).stream()
              .filter(
                  v ->
                      v.target().moonshot() == moonshot
                          && v.target().measure().latency() == latency)
              .toList();
      if (verdicts.isEmpty()) {
        continue;
      }
      boolean met = verdicts.stream().allMatch(Targets.Verdict::met);
      StringBuilder tip = new StringBuilder();
      for (Targets.Verdict v : verdicts) {
        if (tip.length() > 0) {
          tip.append('\n');
        }
        tip.append(v.target().name())
            .append(": ")
            .append(v.value().format(v.target().measure().ratio))
            .append(v.met() ? ", met" : ", MISSED");
      }
      mark(
          s,
          mx,
          y,
          moonshot ? (met ? MOONSHOT_MET : MOONSHOT_MISSED) : met ? MET : MISSED,
          moonshot ? MOONSHOT_COLOR : met ? MET_COLOR : MISSED_COLOR,
          tip.toString());
      mx += 14;
    }
  }

  /** One mark, with {@code tip} as its tooltip when not empty. */
  private static void mark(
      StringBuilder s, double x, double y, String glyph, String color, String tip) {
    s.append("<text x=\"")
        .append(fmt(x))
        .append("\" y=\"")
        .append(fmt(y))
        .append("\" fill=\"")
        .append(color)
        .append("\" font-weight=\"bold\" class=\"target\">")
        .append(escape(glyph));
    if (!tip.isEmpty()) {
      s.append("<title>").append(escape(tip)).append("</title>");
    }
    s.append("</text>\n");
  }

  static double niceCeiling(double v) {
    if (v <= 0) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : new double[] {1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8, 10}) {
      if (step * magnitude >= v) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  static String compact(double v) {
    if (v >= 1_000_000) {
      return trim(String.format(Locale.ROOT, "%.2f", v / 1_000_000)) + "M";
    }
    if (v >= 1000) {
      return trim(String.format(Locale.ROOT, "%.1f", v / 1000)) + "k";
    }
    return trim(String.format(Locale.ROOT, "%.0f", v));
  }

  /** A latency in µs in at most four characters: 89, 1069 → 1.1k. */
  private static String compactMicros(double us) {
    return us >= 1000 ? compact(us) : String.format(Locale.ROOT, "%.0f", us);
  }

  private static String micros(double us) {
    if (us >= 1_000_000) {
      return compactUnit(us / 1_000_000) + " s";
    }
    if (us >= 1000) {
      return compactUnit(us / 1000) + " ms";
    }
    return compactUnit(us) + " µs";
  }

  private static String compactUnit(double v) {
    return trim(String.format(Locale.ROOT, "%.1f", v));
  }

  private static String trim(String s) {
    return s.contains(".") ? s.replaceAll("\\.?0+$", "") : s;
  }

  private static void text(StringBuilder s, double x, double y, String content, String attributes) {
    s.append("<text x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y)).append('"');
    if (!attributes.isEmpty()) {
      s.append(' ').append(attributes);
    }
    s.append('>').append(escape(content)).append("</text>\n");
  }

  private static void line(
      StringBuilder s, double x1, double y1, double x2, double y2, String color) {
    s.append("<line x1=\"")
        .append(fmt(x1))
        .append("\" y1=\"")
        .append(fmt(y1))
        .append("\" x2=\"")
        .append(fmt(x2))
        .append("\" y2=\"")
        .append(fmt(y2))
        .append("\" stroke=\"")
        .append(color)
        .append("\" stroke-width=\"1\"/>\n");
  }

  private static String fmt(double v) {
    return trim(String.format(Locale.ROOT, "%.1f", v));
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
