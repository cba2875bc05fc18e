package io.redisrpc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs the command end to end on an embedded Redis, briefly, for the floor and one redisrpc system.
 */
class BenchCommandSmokeTest {
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void runsOnAnEmbeddedRedisAndWritesTheFiles(@TempDir Path dir) throws Exception {
    StringWriter out = new StringWriter();
    // No REDIS_URL: the command starts its own redis-server.
    CommandLine cmd = new CommandLine(new BenchCommand(Map.of()));
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(out, true));

    int exit =
        cmd.execute(
            "--systems", "floor,redisrpc-msgpack",
            "--in-flight", "1,8",
            "--payloads", "64",
            "--warmup", "100ms",
            "--duration", "300ms",
            "--out", dir.toString());

    String text = out.toString();
    assertThat(exit).as(text).isZero();
    assertThat(text).contains("starting an embedded redis-server");
    assertThat(text).contains("Ratios, redisrpc / peer").contains("Targets");
    assertThat(text)
        // The floor issues only PUBLISH (about two per call; a sampling window may cut one).
        .containsPattern("floor +publish [12]\\.\\d\\d\\s");
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
  }
}
