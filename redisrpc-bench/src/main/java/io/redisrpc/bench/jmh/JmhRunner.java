package io.redisrpc.bench.jmh;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs {@link CallPathBenchmark} with the GC profiler and prints ns/op and B/op. */
public final class JmhRunner {
  private JmhRunner() {}

  /**
   * Runs the benchmark in a forked JVM: with {@code quick}, only the whole round trip with short
   * iterations. Writes {@code jmh.json} into {@code out}.
   */
  public static int run(boolean quick, PrintWriter out, Path outDir) throws Exception {
    Files.createDirectories(outDir);
    Path json = outDir.resolve("jmh.json");
    String include = CallPathBenchmark.class.getName() + (quick ? ".roundTrip$" : ".");
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(include)
            .addProfiler(GCProfiler.class)
            .forks(1)
            .result(json.toString())
            .resultFormat(ResultFormatType.JSON);
    if (quick) {
      options
          .warmupIterations(2)
          .warmupTime(TimeValue.seconds(1))
          .measurementIterations(3)
          .measurementTime(TimeValue.seconds(1));
    }
    Collection<RunResult> results = new Runner(options.build()).run();
    out.println();
    out.println("Per-call CPU path of Dropbox.uploadFile(FileData), no Redis (JMH, -prof gc):");
    out.printf(
        Locale.ROOT, "%-16s %-8s %8s %12s %12s%n", "step", "codec", "payload", "ns/op", "B/op");
    for (RunResult r : results) {
      String label = r.getParams().getBenchmark();
      String step = label.substring(label.lastIndexOf('.') + 1);
      Result<?> primary = r.getPrimaryResult();
      Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
      out.printf(
          Locale.ROOT,
          "%-16s %-8s %8s %12.0f %12s%n",
          step,
          r.getParams().getParam("codec"),
          r.getParams().getParam("payloadBytes") + " B",
          primary.getScore(),
          alloc == null ? "-" : String.format(Locale.ROOT, "%.0f", alloc.getScore()));
    }
    out.println("wrote " + json);
    out.flush();
    return 0;
  }
}
