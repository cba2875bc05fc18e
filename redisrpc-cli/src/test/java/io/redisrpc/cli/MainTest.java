package io.redisrpc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Runs {@link Main} in this JVM. The environment is given explicitly (empty unless a test sets
 * REDIS_URL), so a REDIS_URL of the machine running the tests is never used.
 */
class MainTest {
  /** Nothing listens on port 1 of the loopback interface. */
  private static final String NOTHING_LISTENS = "redis://127.0.0.1:1";

  private record Run(int exitCode, String out, String err) {}

  /** Runs {@code args} with standard output and error captured, as well as picocli's writers. */
  private static Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    int exitCode;
    try (PrintStream capturedOut = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream capturedErr = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(capturedOut);
      System.setErr(capturedErr);
      CommandLine commandLine = new CommandLine(new Main(env));
      commandLine.setOut(new PrintWriter(capturedOut, true));
      commandLine.setErr(new PrintWriter(capturedErr, true));
      exitCode = commandLine.execute(args);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    return new Run(
        exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void demoRunsOnAnEmbeddedRedis() {
    Run run = run(Map.of(), "demo");

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines())
        .first()
        .asString()
        .startsWith("# no --redis or REDIS_URL: starting an embedded Redis (")
        .contains("redis-server");
    assertThat(run.out().lines())
        .anyMatch(
            line -> line.matches("# embedded Redis listening on redis://127\\.0\\.0\\.1:\\d+"))
        .noneMatch(line -> line.contains(":6379"))
        .containsSubsequence(
            "# Dropbox server (at most 2 files) and client connected",
            "> uploadFile(file1, 4 bytes)",
            "< 4",
            "> uploadFile(file2, 5 bytes)",
            "< 5",
            "> getFileNames()",
            "< [file1, file2]",
            "> downloadFile(\"file1\")",
            "< file1, 4 bytes \"1234\", same as uploaded",
            "> countFiles()",
            "< 2",
            "> uploadFile(file3, 5 bytes)",
            "! TooManyFilesException: too many files",
            "> downloadFile(\"missing\")",
            "! RemoteException NOT_FOUND: no file named missing (java.util.NoSuchElementException)",
            "# client and server closed",
            "# embedded Redis stopped");
  }

  @Test
  void unreachableRedisFailsWithOneLine() {
    Run run = run(Map.of(), "demo", "--redis", NOTHING_LISTENS);

    assertThat(run.exitCode()).isEqualTo(CliCommand.EXIT_FAILURE);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err().strip())
        .startsWith("redisrpc demo: error: Cannot connect to Redis at redis://127.0.0.1:1")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(run.out()).doesNotContain("> uploadFile");
  }

  @Test
  void redisUrlFromTheEnvironmentIsTheDefault() {
    Run run = run(Map.of("REDIS_URL", NOTHING_LISTENS), "demo");

    assertThat(run.exitCode()).isEqualTo(CliCommand.EXIT_FAILURE);
    assertThat(run.out()).doesNotContain("embedded");
    assertThat(run.err().lines()).singleElement().asString().contains("127.0.0.1:1");
  }

  @Test
  void invalidRedisUriFailsWithOneLine() {
    Run run = run(Map.of(), "demo", "--redis", "http://example.com");

    assertThat(run.exitCode()).isEqualTo(CliCommand.EXIT_FAILURE);
    assertThat(run.err().lines()).singleElement().asString().startsWith("redisrpc demo: error: ");
  }

  @Test
  void helpListsTheSubcommandsAndVersionNamesTheBuild() {
    Run help = run(Map.of(), "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("Usage: redisrpc").contains("demo");

    Run version = run(Map.of(), "--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).startsWith("redisrpc ").doesNotContain("unknown");
  }

  @Test
  void helpSaysWhereTheBenchIs() {
    Run help = run(Map.of(), "--help");

    assertThat(help.exitCode()).isZero();
    assertThat(help.out())
        .doesNotContain("  bench ")
        .contains("bench: the benchmark", "./redisrpc bench", "redisrpc-bench.jar");
  }

  @Test
  void benchIsNotInThisJarAndSaysSoInOneLine() {
    for (String[] args :
        new String[][] {
          {"bench"}, {"bench", "--quick"}, {"bench", "--help"}, {"bench", "x", "-y"}
        }) {
      Run run = run(Map.of(), args);

      assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(CliCommand.EXIT_FAILURE);
      assertThat(run.out()).isEmpty();
      assertThat(run.err().lines()).singleElement().isEqualTo(BenchMovedCommand.MESSAGE);
    }
    assertThat(BenchMovedCommand.MESSAGE)
        .contains("./redisrpc bench", "java -jar redisrpc-bench/target/redisrpc-bench.jar");
  }

  @Test
  void noCommandIsAUsageError() {
    Run run = run(Map.of());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("a command is required").contains("demo");
  }

  @Test
  void passwordsAreNotPrinted() {
    assertThat(DemoCommand.redact("redis://user:secret@host:6380/1"))
        .isEqualTo("redis://***@host:6380/1");
    assertThat(DemoCommand.redact("rediss://host")).isEqualTo("rediss://host");
  }
}
