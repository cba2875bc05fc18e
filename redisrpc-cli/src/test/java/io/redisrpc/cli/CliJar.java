package io.redisrpc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisrpc.testing.JarProcess;
import io.redisrpc.testing.JarProcess.Run;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** What the ITs running {@code target/redisrpc.jar} share: the jar, and checks of its output. */
final class CliJar {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PROCESS_LIMIT = Duration.ofSeconds(60);

  private CliJar() {}

  /** The jar built by {@code mvn package}, run without REDIS_URL, each run bounded. */
  static JarProcess tool() {
    Path jar = path();
    assertThat(jar).as("built by mvn package").isRegularFile();
    return JarProcess.of(jar).limit(PROCESS_LIMIT).env("REDIS_URL", null);
  }

  /** Where the jar is. */
  static Path path() {
    return Path.of(System.getProperty("redisrpc.jar", "target/redisrpc.jar"));
  }

  /** Standard output read as JSON. */
  static JsonNode json(Run run) {
    try {
      return JSON.readTree(run.out());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + run, e);
    }
  }

  /** The run failed with exit code 1 and one line on standard error, without a stack trace. */
  static void assertOneErrorLine(Run run, String... fragments) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.out()).as(run.toString()).isEmpty();
    assertThat(run.err().lines()).as(run.toString()).hasSize(1);
    assertThat(run.err()).as(run.toString()).startsWith("redisrpc ").contains(fragments);
    assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception in thread");
  }
}
