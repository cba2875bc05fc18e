package io.redisrpc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.redisrpc.RemoteException;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcRegistry;
import io.redisrpc.RpcServer;
import io.redisrpc.examples.dropbox.Dropbox;
import io.redisrpc.examples.dropbox.DropboxService;
import io.redisrpc.internal.codec.WireCodec;
import io.redisrpc.testing.JarProcess.Run;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * The Dropbox example served for the ITs of the command line, and what its commands must print
 * about it, whatever Redis they run on (one node or a cluster).
 */
final class DropboxChecks {
  private DropboxChecks() {}

  /** Runs the command line jar with some arguments, on the Redis of the test. */
  @FunctionalInterface
  interface Cli {
    Run run(String... args);
  }

  /**
   * A Dropbox server of at most two files on {@code uri}, heartbeat (and statistics) every 200 ms.
   */
  static RpcServer serve(String uri) {
    return RpcServer.builder(Dropbox.class, new DropboxService(2))
        .heartbeatInterval(Duration.ofMillis(200))
        .build()
        .connect(uri);
  }

  /** {@code services} and {@code services --json} list {@code server}, of this JVM. */
  static void assertListed(Cli cli, RpcServer server) {
    Run text = cli.run("services");
    assertThat(text.exitCode()).as(text.toString()).isZero();
    assertThat(text.out().lines().findFirst().orElseThrow())
        .startsWith("SERVICE")
        .contains("INSTANCE", "HOST", "PID", "VERSION");
    assertThat(text.out())
        .contains("Dropbox", server.instanceId().substring(0, 12))
        .contains(Long.toString(ProcessHandle.current().pid()))
        .contains("redisrpc-java ");

    Run json = cli.run("services", "--json");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    JsonNode dropbox = CliJar.json(json).get(0);
    assertThat(dropbox.get("service").asText()).isEqualTo("Dropbox");
    assertThat(dropbox.get("instances"))
        .anySatisfy(i -> assertThat(i.get("id").asText()).isEqualTo(server.instanceId()));
  }

  /** {@code describe Dropbox} and its {@code --json} show the endpoints and the schemas. */
  static void assertDescribed(Cli cli) {
    Run text = cli.run("describe", "Dropbox");
    assertThat(text.exitCode()).as(text.toString()).isZero();
    assertThat(text.out())
        .startsWith(
            "Dropbox: 4 endpoints, 1 live instance (protocol "
                + WireCodec.PROTOCOL_VERSION
                + ", codecs json, msgpack")
        .contains("countFiles() -> integer")
        .contains("downloadFile(name: string) -> FileData")
        .contains("getFileNames() -> array<string>")
        .contains("uploadFile(file: FileData) -> integer")
        .contains("throws TooManyFilesException")
        .contains("FileData {", "name: string", "data: string(base64)");

    Run json = cli.run("describe", "Dropbox", "--json");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    JsonNode descriptor = CliJar.json(json);
    assertThat(descriptor.get("service").asText()).isEqualTo("Dropbox");
    assertThat(descriptor.get("endpoints")).hasSize(4);
    assertThat(descriptor.at("/$defs/FileData/properties/data/contentEncoding").asText())
        .isEqualTo("base64");
  }

  /**
   * Calls getFileNames three times and downloadFile once for a missing file (NOT_FOUND) on {@code
   * uri}, and waits until the servers' statistics show the error.
   */
  static void makeCallsForStats(String uri) throws Exception {
    try (RpcClient<Dropbox> client = RpcClient.create(Dropbox.class).connect(uri)) {
      for (int i = 0; i < 3; i++) {
        client.proxy().getFileNames();
      }
      try {
        client.proxy().downloadFile("nothing here");
        throw new AssertionError("expected NOT_FOUND");
      } catch (RemoteException expected) {
        // counted as NOT_FOUND
      }
    }
    // Servers write their statistics with each heartbeat (200 ms here).
    try (RpcRegistry registry = RpcRegistry.connect(uri)) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  registry.stats("Dropbox").endpoints().stream()
                      .anyMatch(e -> e.endpoint().equals("downloadFile") && !e.errors().isEmpty()));
    }
  }

  /**
   * {@code stats Dropbox} and its {@code --json} show the calls of {@link #makeCallsForStats};
   * {@code stats} shows every service.
   */
  static void assertStats(Cli cli, RpcServer server) {
    Run text = cli.run("stats", "Dropbox");
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

    Run json = cli.run("stats", "Dropbox", "--json");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    JsonNode stats = CliJar.json(json);
    assertThat(stats.get("service").asText()).isEqualTo("Dropbox");
    assertThat(stats.at("/queue/waiting").asLong()).isZero();
    assertThat(stats.get("endpoints"))
        .anySatisfy(
            e -> {
              assertThat(e.get("endpoint").asText()).isEqualTo("getFileNames");
              assertThat(e.get("calls").asLong()).isGreaterThanOrEqualTo(3);
              assertThat(e.get("p50_ms").isNumber()).isTrue();
            });

    Run all = cli.run("stats");
    assertThat(all.exitCode()).as(all.toString()).isZero();
    assertThat(all.out()).startsWith("Dropbox: ");
  }
}
