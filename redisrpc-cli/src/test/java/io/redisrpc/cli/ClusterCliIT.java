package io.redisrpc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisrpc.RpcServer;
import io.redisrpc.testing.JarProcess;
import io.redisrpc.testing.JarProcess.Run;
import io.redisrpc.testing.RedisCluster;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedisCluster;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The command line against a Redis Cluster of three primaries: {@code java -jar target/redisrpc.jar
 * ... --redis redis-cluster://...} in a process of its own, with a Dropbox server of this JVM
 * serving on the cluster, where the service's keys live in the slot of {@code {Dropbox}} and the
 * registry's index in a slot of its own.
 */
@WithRedisCluster(primaries = 3)
class ClusterCliIT {
  private static RedisCluster cluster;
  private static RpcServer server;
  private static JarProcess tool;

  @BeforeAll
  static void start(RedisCluster redisCluster) {
    cluster = redisCluster;
    tool = CliJar.tool();
    server = DropboxChecks.serve(cluster.uri());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Runs the jar with {@code args} and {@code --redis} naming every primary of the cluster. */
  private static Run cli(String... args) {
    return on(cluster.uri(), args);
  }

  private static Run on(String uri, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--redis");
    all.add(uri);
    return tool.run(all);
  }

  /** The run failed with exit code 1, nothing on standard output, and one line saying why. */
  private static void assertFailed(Run run, String command, String... fragments) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.out()).as(run.toString()).isEmpty();
    assertThat(run.err().lines())
        .as(run.toString())
        .singleElement()
        .asString()
        .startsWith("redisrpc " + command + ": error: ")
        .contains(fragments);
  }

  /** The run succeeded and printed nothing on standard error: closing its root is quiet. */
  private static void assertOk(Run run) {
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.err()).as(run.toString()).isEmpty();
  }

  @Test
  void servicesListsTheLiveInstance() {
    DropboxChecks.assertListed(ClusterCliIT::cli, server);
    assertThat(CliJar.json(cli("services", "--json"))).hasSize(1);
  }

  @Test
  void oneSeedThatOwnsNeitherTheServiceNorTheIndexIsEnough() {
    RedisProcess service = cluster.primaryOwning(RedisCluster.slot("rpc:{Dropbox}:requests"));
    RedisProcess index = cluster.primaryOwning(RedisCluster.slot("rpc:services"));
    RedisProcess other =
        cluster.primaries().stream()
            .filter(p -> p != service && p != index)
            .findFirst()
            .orElse(cluster.primaries().get(0));
    String seed = "redis-cluster://" + other.host() + ":" + other.port();

    Run services = on(seed, "services");
    assertOk(services);
    assertThat(services.out()).contains("Dropbox", server.instanceId().substring(0, 12));

    Run count = on(seed, "call", "Dropbox.countFiles");
    assertOk(count);
    assertThat(count.out().strip()).matches("\\d+");
  }

  @Test
  void describeShowsTheDescriptor() {
    DropboxChecks.assertDescribed(ClusterCliIT::cli);
  }

  @Test
  void callsEndpointsAndReportsTheirErrors() {
    Run upload =
        cli("call", "Dropbox.uploadFile", "{\"file\": {\"name\": \"c1\", \"data\": \"MTIzNA==\"}}");
    assertOk(upload);
    assertThat(upload.out().strip()).isEqualTo("4");

    Run names = cli("call", "Dropbox.getFileNames", "--json");
    assertOk(names);
    assertThat(CliJar.json(names)).anySatisfy(n -> assertThat(n.asText()).isEqualTo("c1"));

    Run file = cli("call", "Dropbox.downloadFile", "\"c1\"");
    assertOk(file);
    assertThat(CliJar.json(file).get("data").asText()).isEqualTo("MTIzNA==");

    assertFailed(
        cli("call", "Dropbox.downloadFile", "[\"missing\"]"),
        "call",
        "NOT_FOUND: no file named missing");
    assertFailed(
        cli("call", "Nope.getFileNames"), "call", "unknown service 'Nope'", "services: Dropbox");
  }

  @Test
  void pingAnswersFromTheInstanceAndThroughTheQueue() {
    Run text = cli("ping", "Dropbox");
    assertOk(text);
    assertThat(text.out())
        .startsWith("PING Dropbox: 1 live instance")
        .contains(server.instanceId().substring(0, 12));
    assertThat(text.out().lines().filter(l -> l.startsWith("instance")))
        .singleElement()
        .asString()
        .endsWith(" ms");
    assertThat(text.out().lines().filter(l -> l.startsWith("queue")))
        .singleElement()
        .asString()
        .contains("via ")
        .endsWith(" ms");

    Run json = cli("ping", "Dropbox", "--json");
    assertOk(json);
    assertThat(CliJar.json(json).at("/instances/0/time_ms").isNumber()).isTrue();
    assertThat(CliJar.json(json).at("/queue/instance").asText()).isEqualTo(server.instanceId());
  }

  @Test
  void statsShowCallsErrorsAndTheQueue() throws Exception {
    DropboxChecks.makeCallsForStats(cluster.uri());

    DropboxChecks.assertStats(ClusterCliIT::cli, server);
  }

  @Test
  void aClusterThatDoesNotAnswerIsOneLine() {
    CliJar.assertOneErrorLine(
        on("redis-cluster://127.0.0.1:1", "services", "--timeout", "2s"),
        "redisrpc services: error: Cannot connect to Redis at redis-cluster://127.0.0.1:1");
  }

  @Test
  void aRedisUriOfOneNodeOfTheClusterSaysToUseRedisCluster() {
    RedisProcess index = cluster.primaryOwning(RedisCluster.slot("rpc:services"));
    RedisProcess other =
        cluster.primaries().stream().filter(p -> p != index).findFirst().orElseThrow();

    Run run = on("redis://" + other.host() + ":" + other.port(), "services");

    CliJar.assertOneErrorLine(
        run, "MOVED ", "a node of a Redis Cluster: use --redis redis-cluster://HOST:PORT");
  }
}
