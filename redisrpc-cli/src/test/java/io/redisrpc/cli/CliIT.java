package io.redisrpc.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisrpc.RemoteException;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.ServiceStats;
import io.redisrpc.examples.dropbox.Dropbox;
import io.redisrpc.examples.dropbox.DropboxService;
import io.redisrpc.testing.RedisProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
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
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PROCESS_LIMIT = Duration.ofSeconds(60);

  private static RedisProcess redis;
  private static RpcServer server;
  private static Path jar;

  private record Run(int exitCode, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + out, e);
      }
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
    }
  }

  @BeforeAll
  static void start() {
    jar = Path.of(System.getProperty("redisrpc.jar", "target/redisrpc.jar"));
    assertThat(jar).as("built by mvn package").isRegularFile();
    redis = RedisProcess.start();
    server =
        RpcServer.builder(Dropbox.class, new DropboxService(2))
            .heartbeatInterval(Duration.ofMillis(200))
            .build()
            .connect(redis.uri());
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

  private static Run run(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("redisrpc-cli", ".out");
      Path err = Files.createTempFile("redisrpc-cli", ".err");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("REDIS_URL");
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(PROCESS_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          fail("redisrpc " + String.join(" ", args) + " did not end within " + PROCESS_LIMIT);
        }
        return new Run(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void assertOneErrorLine(Run run, String... fragments) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.out()).as(run.toString()).isEmpty();
    assertThat(run.err().lines()).as(run.toString()).hasSize(1);
    assertThat(run.err()).as(run.toString()).startsWith("redisrpc ").contains(fragments);
    assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception in thread");
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
    assertOneErrorLine(
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
    try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
      List<String> found =
          file.stream()
              .map(java.util.jar.JarEntry::getName)
              .filter(name -> strangers.stream().anyMatch(name::startsWith))
              .limit(10)
              .toList();
      assertThat(found).as("entries of " + jar).isEmpty();
      assertThat(file.getEntry("io/redisrpc/cli/Main.class")).isNotNull();
    }
  }

  @Test
  void servicesListsTheLiveInstances() {
    Run text = cli("services");
    assertThat(text.exitCode()).as(text.toString()).isZero();
    assertThat(text.out().lines().findFirst().orElseThrow())
        .startsWith("SERVICE")
        .contains("INSTANCE", "HOST", "PID", "VERSION");
    assertThat(text.out())
        .contains("Dropbox", server.instanceId().substring(0, 12))
        .contains(Long.toString(ProcessHandle.current().pid()))
        .contains("redisrpc-java ");

    Run json = cli("services", "--json");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    JsonNode dropbox = json.json().get(0);
    assertThat(dropbox.get("service").asText()).isEqualTo("Dropbox");
    assertThat(dropbox.get("instances"))
        .anySatisfy(i -> assertThat(i.get("id").asText()).isEqualTo(server.instanceId()));

    // --redis rather than REDIS_URL.
    Run explicit = run(Map.of(), "services", "--redis", redis.uri());
    assertThat(explicit.exitCode()).as(explicit.toString()).isZero();
    assertThat(explicit.out()).contains("Dropbox");
  }

  @Test
  void describeShowsEndpointsParametersAndSchemas() {
    Run text = cli("describe", "Dropbox");
    assertThat(text.exitCode()).as(text.toString()).isZero();
    assertThat(text.out())
        .startsWith("Dropbox: 4 endpoints, 1 live instance (protocol 2, codecs json, msgpack")
        .contains("countFiles() -> integer")
        .contains("downloadFile(name: string) -> FileData")
        .contains("getFileNames() -> array<string>")
        .contains("uploadFile(file: FileData) -> integer")
        .contains("throws TooManyFilesException")
        .contains("FileData {", "name: string", "data: string(base64)");

    Run json = cli("describe", "Dropbox", "--json");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    JsonNode descriptor = json.json();
    assertThat(descriptor.get("service").asText()).isEqualTo("Dropbox");
    assertThat(descriptor.get("endpoints")).hasSize(4);
    assertThat(descriptor.at("/$defs/FileData/properties/data/contentEncoding").asText())
        .isEqualTo("base64");
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
    assertThat(file.json().get("name").asText()).isEqualTo("file1");
    assertThat(file.json().get("data").asText()).isEqualTo("MTIzNA==");

    assertThat(cli("call", "Dropbox.countFiles").out().strip()).isEqualTo("2");

    // A declared exception of the handler: its code and message, exit code 1.
    Run full = cli("call", "Dropbox.uploadFile", "[{\"name\": \"file3\", \"data\": \"\"}]");
    assertOneErrorLine(full, "redisrpc call: error: UNKNOWN: too many files");
    Run missing = cli("call", "Dropbox.downloadFile", "[\"missing\"]");
    assertOneErrorLine(missing, "NOT_FOUND: no file named missing");
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
    assertOneErrorLine(cli(args.toArray(String[]::new)), fragments.toArray(String[]::new));
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
      assertThat(json.json().get("instances"))
          .hasSize(2)
          .allSatisfy(i -> assertThat(i.get("time_ms").isNumber()).isTrue());
      assertThat(json.json().at("/queue/instance").asText())
          .isIn(server.instanceId(), second.instanceId());
    }
  }

  @Test
  void statsShowCallsErrorsLatencyAndTheQueue() throws Exception {
    try (RpcClient<Dropbox> client = RpcClient.create(Dropbox.class).connect(redis.uri())) {
      for (int i = 0; i < 3; i++) {
        client.proxy().getFileNames();
      }
      try {
        client.proxy().downloadFile("nothing here");
        fail("expected NOT_FOUND");
      } catch (RemoteException expected) {
        // counted as NOT_FOUND
      }
    }
    // Servers write their statistics with each heartbeat (200 ms here).
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                ServiceStats.read(redis.uri(), "Dropbox").endpoints().stream()
                    .anyMatch(e -> e.endpoint().equals("downloadFile") && !e.errors().isEmpty()));

    Run text = cli("stats", "Dropbox");
    assertThat(text.exitCode()).as(text.toString()).isZero();
    assertThat(text.out())
        .startsWith("Dropbox: 1 live instance, queue 0 waiting, 0 running")
        .contains("ENDPOINT", "CALLS", "ERRORS", "IN-FLIGHT", "P50", "P99", "LAST ERROR")
        .contains("NOT_FOUND: no file named nothing here")
        .contains(server.instanceId().substring(0, 12));
    assertThat(text.out().lines().filter(l -> l.startsWith("getFileNames")))
        .singleElement()
        .asString()
        .matches("getFileNames +\\d+ +0 +0 +[\\d.]+ m?s +[\\d.]+ m?s +-");

    Run json = cli("stats", "Dropbox", "--json");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    JsonNode stats = json.json();
    assertThat(stats.at("/queue/waiting").asLong()).isZero();
    JsonNode names = null;
    for (JsonNode e : stats.get("endpoints")) {
      if (e.get("endpoint").asText().equals("getFileNames")) {
        names = e;
      }
    }
    assertThat(names).isNotNull();
    assertThat(names.get("calls").asLong()).isGreaterThanOrEqualTo(3);
    assertThat(names.get("p50_ms").isNumber()).isTrue();

    Run all = cli("stats");
    assertThat(all.exitCode()).as(all.toString()).isZero();
    assertThat(all.out()).startsWith("Dropbox: ");

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
