package io.redisrpc.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisrpc.testing.RedisCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs the command end to end, briefly, for the floor and one redisrpc system: on an embedded
 * Redis, and on a Redis Cluster of three primaries.
 */
class BenchCommandSmokeTest {
  /** What a run printed and its exit code. */
  private record Run(int exit, String text) {}

  /** Runs the command in this JVM, without REDIS_URL, printing into {@link Run#text}. */
  private static Run bench(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cmd = BenchCommand.commandLine(new BenchCommand(Map.of()));
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(out, true));
    int exit = cmd.execute(args);
    return new Run(exit, out.toString());
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void runsOnAnEmbeddedRedisAndWritesTheFiles(@TempDir Path dir) throws Exception {
    // No REDIS_URL: the command starts its own redis-server.
    Run run =
        bench(
            "--systems", "floor,redisrpc-msgpack",
            "--in-flight", "1,8",
            "--payloads", "64",
            "--warmup", "100ms",
            "--duration", "300ms",
            "--out", dir.toString());

    String text = run.text();
    assertThat(run.exit()).as(text).isZero();
    assertThat(text).contains("starting an embedded redis-server");
    assertThat(text).contains("Ratios, redisrpc / peer").contains("Targets");
    assertThat(text)
        // The floor issues only PUBLISH (about two per call; a sampling window may cut one).
        .containsPattern("floor +publish [12]\\.\\d\\d\\b");
    JsonNode results = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
    assertThat(results).hasSize(4);
    for (JsonNode r : results) {
      assertThat(r.get("system").asText()).isIn("floor", "redisrpc");
      assertThat(r.get("calls_per_s").asDouble()).as(r.toString()).isPositive();
      assertThat(r.get("p50_us").asDouble()).isPositive();
      assertThat(r.get("p999_us").asDouble()).isGreaterThanOrEqualTo(r.get("p50_us").asDouble());
    }
    assertThat(Files.readString(dir.resolve("results.csv")).lines()).hasSize(5);
    assertThat(Files.readString(dir.resolve("chart.svg")))
        .startsWith("<svg")
        .contains("redisrpc msgpack");
    assertThat(dir.resolve("report.txt")).exists();
    // One node: no shares by node, as before clusters.
    assertThat(text).doesNotContain("Redis Cluster");
    assertThat(results.findValues("nodes")).isEmpty();
    assertThat(Files.readString(dir.resolve("results.csv"))).doesNotContain("node1");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void repeatsTheMatrixAndReportsMediansRangesLoadsAndTargets(@TempDir Path dir) throws Exception {
    Run run =
        bench(
            "--systems", "floor,redisrpc-msgpack,redisrpc-msgpack-signed",
            "--in-flight", "64",
            "--payloads", "64",
            "--repeat", "2",
            "--warmup", "100ms",
            "--duration", "300ms",
            "--out", dir.toString());

    String text = run.text();
    assertThat(run.exit()).as(text).isZero();
    assertThat(text).contains("# 3 systems x 1 workloads x 2 rounds").doesNotContain("FAILED");
    // Each round visits every system, starting one further along.
    List<String> progress = text.lines().filter(l -> l.matches("  \\[ *\\d+/6].*")).toList();
    assertThat(progress).hasSize(6);
    assertThat(progress.get(0)).contains(" r1 floor ");
    assertThat(progress.get(3)).contains(" r2 redisrpc msgpack ");
    assertThat(progress)
        .allMatch(
            l -> l.matches(".* load \\d+\\.\\d\\d-\\d+\\.\\d\\d  other \\d+\\.\\d\\d$"),
            "a load and the CPU of other processes");

    // Every round kept, with its loads.
    JsonNode results = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
    assertThat(results).hasSize(6);
    long busy = 0;
    int cores = Runtime.getRuntime().availableProcessors();
    for (JsonNode r : results) {
      assertThat(r.get("round").asInt()).isBetween(1, 2);
      assertThat(r.get("load_1m_before").isNumber()).as(r.toString()).isTrue();
      assertThat(r.get("load_1m_after").isNumber()).as(r.toString()).isTrue();
      // Busy when other processes, not the bench, took more than a quarter of the cores (judged
      // before other_cpu is rounded to 2 decimals, hence the bounds that include the threshold).
      double other = r.get("other_cpu").asDouble(-1);
      assertThat(other).as(r.toString()).isGreaterThanOrEqualTo(0.0);
      if (r.get("busy").asBoolean()) {
        assertThat(other).as(r.toString()).isGreaterThanOrEqualTo(Machine.busyOtherCpu(cores));
      } else {
        assertThat(other).as(r.toString()).isLessThanOrEqualTo(Machine.busyOtherCpu(cores));
      }
      busy += r.get("busy").asBoolean() ? 1 : 0;
    }
    assertThat(results.findValuesAsText("workload")).contains("signed");
    assertThat(Files.readString(dir.resolve("results.csv")).lines().findFirst().orElseThrow())
        .endsWith(",p999_us,round,load_1m_before,load_1m_after,busy,other_cpu");
    // A warning line per busy cell, and a summary: a warning, or the load's range.
    assertThat(text.lines().filter(l -> l.startsWith("  WARNING: busy machine")).count())
        .isEqualTo(busy);
    if (busy > 0) {
      assertThat(text).contains("WARNING: busy machine: " + busy + " of 6 cells");
      assertThat(text).containsPattern("(?m) BUSY$");
    } else {
      assertThat(text).contains("# other processes used ").contains(" throughout");
    }
    assertThat(text)
        .containsPattern("(?m)^system .* load +load +other$")
        .containsPattern("(?m)^ +/call.* before +after +cores$");

    // Ratios: the median of the rounds and their range, marked where a target applies.
    assertThat(text).contains("each the median over 2 rounds");
    String num = "\\d+\\.\\d\\dx \\[\\d+\\.\\d\\d-\\d+\\.\\d\\d\\]";
    assertThat(text)
        .containsPattern("(?m)^redisrpc msgpack +64 +64 B +" + num + " (ok|MISS) ")
        // thr/default of the signed system: the sharedSecret target.
        .containsPattern("(?m)^redisrpc msgpack signed +64 +64 B .* " + num + " (ok|MISS) +-$");
    assertThat(text)
        .contains("Targets (each case judged on the median of its 2 rounds' ratios")
        .containsPattern(
            "\\[(met   |MISSED)] 64/256 in flight: throughput >= 0.8x floor +[012]/2 cases")
        .containsPattern(
            "\\[(met   |MISSED)] sharedSecret throughput >= 0.7x without +[01]/1 cases");
    String svg = Files.readString(dir.resolve("chart.svg"));
    assertThat(svg).contains("redisrpc msgpack signed", "medians of 2 rounds", "class=\"target\"");
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void runsOnAClusterAndShowsEachPrimarysShare(@TempDir Path dir) throws Exception {
    try (RedisCluster cluster = RedisCluster.start(3, 0)) {
      Run run =
          bench(
              "--redis", cluster.uri(),
              "--systems", "floor,redisrpc-msgpack,redisrpc-msgpack-signed",
              "--shards", "3",
              "--in-flight", "8",
              "--payloads", "64",
              "--warmup", "100ms",
              "--duration", "400ms",
              "--out", dir.toString());

      String text = run.text();
      assertThat(run.exit()).as(text).isZero();
      assertThat(text)
          .contains("# Redis Cluster of 3 primaries: ")
          .contains("# floor: sharded pub/sub")
          .contains("# redisrpc: one RedisRpc root; services ")
          // The signed system's own services, one beside each of the others'.
          .contains("bench.SignedEcho")
          .containsPattern("floor +spublish [12]\\.\\d\\d\\b");
      List<String> section =
          text.lines()
              .dropWhile(l -> !l.startsWith("Redis Cluster: each primary's share"))
              .takeWhile(l -> !l.isBlank())
              .toList();
      assertThat(section).as(text).hasSize(1 + 3 + 2 + 3);
      assertThat(section.get(4)).contains("cmd%", "cpu%", "busiest", "ceiling");
      assertThat(section.get(5)).containsPattern("n1 +n2 +n3 +n1 +n2 +n3");
      for (String row : section.subList(6, 9)) {
        assertThat(row).startsWith(row.startsWith("floor") ? "floor" : "redisrpc msgpack");
        String[] f = row.substring(29).trim().split(" +");
        // in_flight, payload (2 fields), 3 command shares, 3 CPU shares, busiest, ...
        double[] commands = {
          Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5])
        };
        double[] cpu = {
          Double.parseDouble(f[6]), Double.parseDouble(f[7]), Double.parseDouble(f[8])
        };
        assertThat(commands[0] + commands[1] + commands[2]).as(row).isCloseTo(100, within(0.5));
        assertThat(cpu[0] + cpu[1] + cpu[2]).as(row).isCloseTo(100, within(0.5));
        // Three shards, one on each primary, calls to each in turn: each has a share.
        assertThat(Math.min(commands[0], Math.min(commands[1], commands[2])))
            .as(row)
            .isGreaterThan(20);
      }

      JsonNode results = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
      assertThat(results).hasSize(3);
      for (JsonNode r : results) {
        JsonNode nodes = r.get("nodes");
        assertThat(nodes).as(r.toString()).hasSize(3);
        double commands = 0;
        double cpu = 0;
        for (JsonNode n : nodes) {
          assertThat(n.get("node").asText()).startsWith("127.0.0.1:");
          commands += n.get("commands_pct").asDouble();
          cpu += n.get("redis_cpu_pct").asDouble();
        }
        assertThat(commands).as(r.toString()).isCloseTo(100, within(0.5));
        assertThat(cpu).as(r.toString()).isCloseTo(100, within(0.5));
      }
      assertThat(Files.readString(dir.resolve("results.csv")).lines().findFirst().orElseThrow())
          .endsWith(
              ",p999_us,node1,node1_commands_pct,node1_redis_cpu_pct,node2,node2_commands_pct,"
                  + "node2_redis_cpu_pct,node3,node3_commands_pct,node3_redis_cpu_pct"
                  + ",round,load_1m_before,load_1m_after,busy,other_cpu");
    }
  }

  @Test
  void shardsNeedAClusterAndAtMostOneServiceEach() {
    assertThat(BenchCommand.MAX_SHARDS).isEqualTo(BenchEcho.SHARDS.size());
    Run tooMany = bench("--shards", "9");
    assertThat(tooMany.exit()).isEqualTo(2);
    assertThat(tooMany.text()).startsWith("redisrpc bench: --shards must be 1 to 8: 9");
  }
}
