package io.redisrpc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisrpc.testing.JarProcess;
import io.redisrpc.testing.JarProcess.Run;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar target/redisrpc-bench.jar ...} in a process of its own, as {@code ./redisrpc
 * bench} runs it: the jar made by the shade plugin at package, with everything the bench needs.
 */
class BenchJarIT {
  private static final Duration PROCESS_LIMIT = Duration.ofSeconds(120);

  private static Path jar;

  @BeforeAll
  static void findJar() {
    jar = Path.of(System.getProperty("redisrpc-bench.jar", "target/redisrpc-bench.jar"));
    assertThat(jar).as("built by mvn package").isRegularFile();
  }

  /** Runs the jar with {@code args}, without REDIS_URL or NATS_URL. */
  private static Run bench(String... args) {
    return JarProcess.of(jar)
        .limit(PROCESS_LIMIT)
        .env(BenchCommand.REDIS_URL, null)
        .env(BenchCommand.NATS_URL, null)
        .run(args);
  }

  @Test
  void helpIsTheBenchsUsage() {
    Run help = bench("--help");

    assertThat(help.exitCode()).as(help.toString()).isZero();
    assertThat(help.out())
        .startsWith("Usage: redisrpc bench ")
        .contains("--quick", "--systems", "--jmh");
    assertThat(help.err()).isEmpty();

    Run version = bench("--version");
    assertThat(version.exitCode()).as(version.toString()).isZero();
    assertThat(version.out()).startsWith("redisrpc bench ").doesNotContain("unknown");
  }

  @Test
  void failuresAndInvalidUsageAreOneLineWithoutAStackTrace() {
    Run unknown = bench("--systems", "grpc");
    assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(1);
    assertThat(unknown.err().lines()).as(unknown.toString()).hasSize(1);
    assertThat(unknown.err()).startsWith("redisrpc bench: error: unknown system 'grpc'");

    Run invalid = bench("--in-flight", "0");
    assertThat(invalid.exitCode()).as(invalid.toString()).isEqualTo(2);
    assertThat(invalid.err())
        .startsWith("redisrpc bench: --in-flight must be 1 to 10000: 0")
        .contains("Try 'redisrpc bench --help'")
        .doesNotContain("\tat ");

    Run badUri = bench("--redis", "http://localhost:6379");
    assertThat(badUri.exitCode()).as(badUri.toString()).isEqualTo(1);
    assertThat(badUri.err().lines()).as(badUri.toString()).hasSize(1);
    assertThat(badUri.err())
        .startsWith("redisrpc bench: error: Invalid Redis URI 'http://localhost:6379'")
        .contains("redis-cluster://");

    Run badOption = bench("--nope");
    assertThat(badOption.exitCode()).as(badOption.toString()).isEqualTo(2);
    assertThat(badOption.err()).startsWith("redisrpc bench: Unknown option: '--nope'");
  }

  @Test
  void runsTheFloorRedisrpcAndRedissonOnAnEmbeddedRedis(@TempDir Path dir) throws IOException {
    Run run =
        bench(
            "--systems", "floor,redisrpc-msgpack,redisson",
            "--in-flight", "1",
            "--payloads", "64",
            "--warmup", "100ms",
            "--duration", "300ms",
            "--out", dir.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("starting an embedded redis-server", "Ratios, redisrpc / peer");
    assertThat(run.out()).as(run.toString()).doesNotContain("FAILED");
    JsonNode results = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
    assertThat(results).hasSize(3);
    for (JsonNode r : results) {
      assertThat(r.get("system").asText()).isIn("floor", "redisrpc", "redisson");
      assertThat(r.get("calls_per_s").asDouble()).as(r.toString()).isPositive();
    }
  }

  @Test
  void carriesTheJmhBenchmarkList() throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      assertThat(file.getEntry("META-INF/BenchmarkList"))
          .as("written by JMH's processor")
          .isNotNull();
      assertThat(file.getEntry("org/openjdk/jmh/runner/ForkedMain.class")).isNotNull();
      assertThat(file.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo(BenchCommand.class.getName());
    }
  }
}
