package io.redisrpc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisrpc.RpcServer;
import io.redisrpc.examples.dropbox.Dropbox;
import io.redisrpc.examples.dropbox.DropboxService;
import io.redisrpc.testing.JarProcess;
import io.redisrpc.testing.JarProcess.Run;
import io.redisrpc.testing.RedisProcess;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command line as a user runs it: {@code java -jar target/redisrpc.jar ...} in a process of its
 * own, against a real redis-server and a Dropbox server running in this JVM, checking what it
 * prints and its exit codes.
 */
class CliIT {
  private static RedisProcess redis;
  private static RpcServer server;
  private static JarProcess tool;

  @BeforeAll
  static void start() {
    tool = CliJar.tool();
    redis = RedisProcess.start();
    server = DropboxChecks.serve(redis.uri());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  /** Runs the jar with {@code args}, REDIS_URL pointing at the test's Redis. */
  private static Run cli(String... args) {
    return run(Map.of("REDIS_URL", redis.uri()), args);
  }

  /** Runs the jar with {@code args}, with REDIS_URL only if {@code env} has it. */
  private static Run run(Map<String, String> env, String... args) {
    JarProcess withEnv = tool;
    for (Map.Entry<String, String> e : env.entrySet()) {
      withEnv = withEnv.env(e.getKey(), e.getValue());
    }
    return withEnv.run(args);
  }

  @Test
  void helpListsEveryCommandAndEveryCommandHasHelp() {
    Run help = cli("--help");
    assertThat(help.exitCode()).as(help.toString()).isZero();
    assertThat(help.out())
        .contains("services", "describe", "call", "ping", "stats", "demo", "completion");
    for (String command : List.of("services", "describe", "call", "ping", "stats", "completion")) {
      Run run = cli(command, "--help");
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out()).startsWith("Usage: redisrpc " + command);
    }
    assertThat(cli("call", "--help").out()).contains("--redis", "--json", "--timeout");
  }

  @Test
  void benchIsNotInTheJarAndSaysWhereItIs() {
    Run help = cli("--help");
    assertThat(help.out()).contains("./redisrpc bench", "redisrpc-bench.jar");

    Run bench = cli("bench", "--quick");
    CliJar.assertOneErrorLine(
        bench, "./redisrpc bench", "java -jar redisrpc-bench/target/redisrpc-bench.jar");
  }

  @Test
  void jarCarriesNeitherTheBenchNorItsDependencies() throws IOException {
    List<String> strangers =
        List.of(
            "io/redisrpc/bench/",
            "org/redisson/",
            "io/nats/",
            "org/openjdk/jmh/",
            "org/HdrHistogram/");
    try (java.util.jar.JarFile file = new java.util.jar.JarFile(CliJar.path().toFile())) {
      List<String> found =
          file.stream()
              .map(java.util.jar.JarEntry::getName)
              .filter(name -> strangers.stream().anyMatch(name::startsWith))
              .limit(10)
              .toList();
      assertThat(found).as("entries of " + CliJar.path()).isEmpty();
      assertThat(file.getEntry("io/redisrpc/cli/Main.class")).isNotNull();
    }
  }

  @Test
  void servicesListsTheLiveInstances() {
    DropboxChecks.assertListed(CliIT::cli, server);

    // --redis rather than REDIS_URL.
    Run explicit = run(Map.of(), "services", "--redis", redis.uri());
    assertThat(explicit.exitCode()).as(explicit.toString()).isZero();
    assertThat(explicit.out()).contains("Dropbox");
  }

  @Test
  void describeShowsEndpointsParametersAndSchemas() {
    DropboxChecks.assertDescribed(CliIT::cli);
  }

  @Test
  void callsEndpointsWithJsonArgumentsAndReportsErrors() {
    Run byName =
        cli(
            "call",
            "Dropbox.uploadFile",
            "{\"file\": {\"name\": \"file1\", \"data\": \"MTIzNA==\"}}");
    assertThat(byName.exitCode()).as(byName.toString()).isZero();
    assertThat(byName.out().strip()).isEqualTo("4");

    Run byPosition =
        cli("call", "Dropbox.uploadFile", "[{\"name\": \"file2\", \"data\": \"aGVsbG8=\"}]");
    assertThat(byPosition.out().strip()).as(byPosition.toString()).isEqualTo("5");

    Run names = cli("call", "Dropbox.getFileNames", "--json");
    assertThat(names.exitCode()).as(names.toString()).isZero();
    assertThat(names.out()).isEqualTo("[\"file1\",\"file2\"]\n");

    Run file = cli("call", "Dropbox.downloadFile", "\"file1\"");
    assertThat(file.exitCode()).as(file.toString()).isZero();
    assertThat(CliJar.json(file).get("name").asText()).isEqualTo("file1");
    assertThat(CliJar.json(file).get("data").asText()).isEqualTo("MTIzNA==");

    assertThat(cli("call", "Dropbox.countFiles").out().strip()).isEqualTo("2");

    // A declared exception of the handler: its code and message, exit code 1.
    Run full = cli("call", "Dropbox.uploadFile", "[{\"name\": \"file3\", \"data\": \"\"}]");
    CliJar.assertOneErrorLine(full, "redisrpc call: error: UNKNOWN: too many files");
    Run missing = cli("call", "Dropbox.downloadFile", "[\"missing\"]");
    CliJar.assertOneErrorLine(missing, "NOT_FOUND: no file named missing");
  }

  static Stream<Arguments> badInputs() {
    return Stream.of(
        Arguments.of(
            List.of("call", "Nope.getFileNames"),
            List.of("unknown service 'Nope'", "services: Dropbox")),
        Arguments.of(
            List.of("describe", "Nope"),
            List.of("redisrpc describe: error: unknown service 'Nope'")),
        Arguments.of(List.of("ping", "Nope"), List.of("unknown service 'Nope'")),
        Arguments.of(List.of("stats", "Nope"), List.of("unknown service 'Nope'")),
        Arguments.of(List.of("describe", "no such"), List.of("Invalid service name 'no such'")),
        Arguments.of(List.of("call", "Dropbox"), List.of("expected SERVICE.METHOD")),
        Arguments.of(
            List.of("call", "Dropbox.nope"),
            List.of("Dropbox has no endpoint 'nope'", "getFileNames")),
        Arguments.of(
            List.of("call", "Dropbox.downloadFile", "{bad"),
            List.of("invalid JSON arguments", "line 1, column 2")),
        Arguments.of(
            List.of("call", "Dropbox.downloadFile", "[\"a\", \"b\"]"),
            List.of("takes 1 argument (name), got 2")),
        Arguments.of(
            List.of("call", "Dropbox.downloadFile", "{\"nam\": \"a\"}"),
            List.of("unknown parameter 'nam'")),
        Arguments.of(List.of("call", "Dropbox.uploadFile"), List.of("takes 1 argument (file)")),
        Arguments.of(
            List.of("call", "Dropbox.uploadFile", "[42]"),
            List.of("INVALID_ARGUMENT", "Invalid argument 'file'")),
        Arguments.of(
            List.of("call", "Dropbox.downloadFile", "[{\"a\": 1}]"),
            List.of("INVALID_ARGUMENT", "'name'")),
        Arguments.of(
            List.of("services", "--redis", "redis://127.0.0.1:1"),
            List.of("Cannot connect to Redis at redis://127.0.0.1:1")),
        Arguments.of(
            List.of("services", "--redis", "http://example.com"),
            List.of("redisrpc services: error: ")));
  }

  @ParameterizedTest
  @MethodSource("badInputs")
  void badInputGivesOneLineAndExitCode1(List<String> args, List<String> fragments) {
    CliJar.assertOneErrorLine(cli(args.toArray(String[]::new)), fragments.toArray(String[]::new));
  }

  @Test
  void invalidUsageGivesExitCode2() {
    Run noService = cli("describe");
    assertThat(noService.exitCode()).as(noService.toString()).isEqualTo(2);
    assertThat(noService.err()).startsWith("redisrpc describe: Missing required parameter");
    Run badTimeout = cli("services", "--timeout", "soon");
    assertThat(badTimeout.exitCode()).as(badTimeout.toString()).isEqualTo(2);
    assertThat(badTimeout.err()).contains("'soon' is not a duration").doesNotContain("\tat ");
  }

  @Test
  void pingMeasuresEachInstanceAndTheQueue() {
    try (RpcServer second =
        RpcServer.create(Dropbox.class, new DropboxService()).connect(redis.uri())) {
      Run text = cli("ping", "Dropbox");
      assertThat(text.exitCode()).as(text.toString()).isZero();
      assertThat(text.out())
          .startsWith("PING Dropbox: 2 live instances")
          .contains(server.instanceId().substring(0, 12), second.instanceId().substring(0, 12));
      assertThat(text.out().lines().filter(l -> l.startsWith("instance")))
          .hasSize(2)
          .allMatch(l -> l.endsWith(" ms"));
      assertThat(text.out().lines().filter(l -> l.startsWith("queue")))
          .singleElement()
          .asString()
          .contains("via ")
          .endsWith(" ms");

      Run json = cli("ping", "Dropbox", "--json");
      assertThat(json.exitCode()).as(json.toString()).isZero();
      assertThat(CliJar.json(json).get("instances"))
          .hasSize(2)
          .allSatisfy(i -> assertThat(i.get("time_ms").isNumber()).isTrue());
      assertThat(CliJar.json(json).at("/queue/instance").asText())
          .isIn(server.instanceId(), second.instanceId());
    }
  }

  @Test
  void statsShowCallsErrorsLatencyAndTheQueue() throws Exception {
    DropboxChecks.makeCallsForStats(redis.uri());

    DropboxChecks.assertStats(CliIT::cli, server);

    Run watch = cli("stats", "Dropbox", "--watch", "--count", "2", "--interval", "100ms");
    assertThat(watch.exitCode()).as(watch.toString()).isZero();
    assertThat(watch.out().split("Every 100ms at ", -1)).as("two frames").hasSize(3);
    assertThat(watch.out()).as("the second frame moves back up").containsPattern("\u001b\\[\\d+A");
    assertThat(watch.out()).contains("\u001b[K", "\u001b[J");
  }

  @Test
  void completionPrintsAShellScript() {
    Run run = cli("completion");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .startsWith("#!/usr/bin/env bash")
        .contains("complete -F")
        .contains("services", "describe", "call", "ping", "stats", "--redis", "--watch");
  }

  @Test
  void environmentOtherThanRedisUrlIsNotNeeded() {
    Map<String, String> env = new HashMap<>();
    env.put("REDIS_URL", redis.uri());
    Run run = run(env, "describe", "Dropbox", "--timeout", "5s");
    assertThat(run.exitCode()).as(run.toString()).isZero();
  }
}
