package io.redisrpc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.redisrpc.Endpoint;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.internal.transport.RedisKeys;
import io.redisrpc.testing.JarProcess;
import io.redisrpc.testing.JarProcess.Run;
import io.redisrpc.testing.RedisProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code redisrpc dead} as a user runs it: {@code java -jar target/redisrpc.jar dead ...} in a
 * process of its own, against a real redis-server, with dead letters written by the servers' own
 * DEAD_LETTER script, and servers in this JVM that run the replayed calls.
 */
class DeadCliIT {
  private static final String DIED =
      "Ledger.add was delivered 3 times without completing; moved to the dead-letter stream";

  @RpcService("Ledger")
  public interface Ledger {
    @Endpoint(idempotent = true)
    long add(String account, long cents);
  }

  @RpcService(value = "Shards", partitions = 2)
  public interface Shards {
    @Endpoint(idempotent = true)
    long add(String account, long cents);
  }

  /** Records the calls it runs. */
  static final class Runs implements Ledger, Shards {
    final Collection<String> runs = new ConcurrentLinkedQueue<>();

    @Override
    public long add(String account, long cents) {
      runs.add(account + ":" + cents);
      return cents;
    }
  }

  private static final Runs RUNS = new Runs();
  private static RedisProcess redis;
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> raw;
  private static RpcServer ledger;
  private static RpcServer shards;
  private static JarProcess tool;

  @BeforeAll
  static void start() {
    tool = CliJar.tool();
    redis = RedisProcess.start();
    client = RedisClient.create(redis.uri());
    raw = client.connect();
    ledger = RpcServer.create(Ledger.class, (Ledger) RUNS).connect(redis.uri());
    shards = RpcServer.create(Shards.class, (Shards) RUNS).connect(redis.uri());
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {shards, ledger, raw}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // closing anyway
      }
    }
    if (client != null) {
      client.shutdown();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @BeforeEach
  void noDeadLetters() {
    for (String service : List.of("Ledger", "Orphan")) {
      raw.sync().del(new RedisKeys(service).deadLetters());
    }
    for (RedisKeys keys : RedisKeys.partitions("Shards", 2)) {
      raw.sync().del(keys.deadLetters());
    }
    RUNS.runs.clear();
  }

  private static Run cli(String... args) {
    return tool.env("REDIS_URL", redis.uri()).run(args);
  }

  /**
   * Moves a call of {@code add(account, cents)} to the dead letters of {@code keys} as a server
   * does, with the servers' own DEAD_LETTER script; returns the dead letter's entry id.
   */
  private static String deadLetter(RedisKeys keys, String account, long cents) {
    String payload =
        "{\"v\":3,\"id\":\"1-x\",\"reply_to\":\""
            + keys.replyChannel("gone")
            + "\",\"method\":\"add\",\"timeout_ms\":10000,\"args\":[\""
            + account
            + "\","
            + cents
            + "]}";
    raw.sync()
        .eval(
            script("dead_letter"),
            ScriptOutputType.INTEGER,
            new String[] {keys.requests(), keys.deadLetters()},
            RedisKeys.GROUP,
            "1795568867923-0",
            "json",
            payload,
            "3",
            DIED);
    return raw.sync().xrevrange(keys.deadLetters(), Range.create("-", "+")).get(0).getId();
  }

  private static String script(String name) {
    String path = "/io/redisrpc/internal/transport/lua/" + name + ".lua";
    try (InputStream in = DeadCliIT.class.getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void assertOk(Run run) {
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.err()).as(run.toString()).isEmpty();
  }

  @Test
  void listsTheDeadLettersAsATableAndAsJson() {
    String first = deadLetter(new RedisKeys("Ledger"), "acme", 250);
    String second = deadLetter(new RedisKeys("Ledger"), "initech", -5);

    Run text = cli("dead", "Ledger");
    assertOk(text);
    List<String> lines = text.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("Ledger: 2 dead letters");
    assertThat(lines.get(1)).matches("ID +METHOD +DELIVERIES +AGE +SIGNED +ARGUMENTS +LAST ERROR");
    assertThat(lines.get(2))
        .startsWith(first + "  add")
        .contains(" no ", "[\"acme\",250]")
        .endsWith("  " + DIED);
    assertThat(lines.get(3)).startsWith(second).contains("[\"initech\",-5]");
    assertThat(lines).hasSize(4);

    Run json = cli("dead", "Ledger", "--json");
    assertOk(json);
    JsonNode root = CliJar.json(json);
    assertThat(root.get("service").asText()).isEqualTo("Ledger");
    assertThat(root.get("count").asLong()).isEqualTo(2);
    JsonNode letter = root.get("dead_letters").get(0);
    assertThat(letter.get("id").asText()).isEqualTo(first);
    assertThat(letter.get("method").asText()).isEqualTo("add");
    assertThat(letter.get("deliveries").asLong()).isEqualTo(3);
    assertThat(letter.get("error").asText()).isEqualTo(DIED);
    assertThat(letter.get("arguments").toString()).isEqualTo("[\"acme\",250]");
    assertThat(letter.get("signed").asBoolean()).isFalse();
    assertThat(letter.get("call_id").asText()).isEqualTo("1-x");
    assertThat(letter.get("request_id").asText()).isEqualTo("1795568867923-0");
    assertThat(letter.get("timeout_ms").asLong()).isEqualTo(10000);
    assertThat(letter.get("age_ms").asLong()).isNotNegative();

    Run limited = cli("dead", "Ledger", "--limit", "1");
    assertOk(limited);
    assertThat(limited.out())
        .contains(first)
        .doesNotContain(second)
        .contains("(the oldest 1 of 2; --limit N shows more");
  }

  @Test
  void replayRunsTheCallsAgainAndPurgeDeletesThem() {
    String acme = deadLetter(new RedisKeys("Ledger"), "acme", 250);
    deadLetter(new RedisKeys("Ledger"), "initech", 7);

    Run one = cli("dead", "Ledger", "--replay", acme);
    assertOk(one);
    assertThat(one.out().strip())
        .isEqualTo("replayed dead letter " + acme + " of Ledger (add[\"acme\",250])");
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> RUNS.runs.contains("acme:250"));

    Run all = cli("dead", "Ledger", "--all", "--json");
    assertOk(all);
    assertThat(CliJar.json(all).get("replayed")).hasSize(1);
    assertThat(CliJar.json(all).get("left").asLong()).isZero();
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> RUNS.runs.size() == 2);
    assertThat(RUNS.runs).containsExactlyInAnyOrder("acme:250", "initech:7");
    assertThat(cli("dead", "Ledger").out().strip()).isEqualTo("Ledger: no dead letters");

    String gone = deadLetter(new RedisKeys("Ledger"), "a", 1);
    deadLetter(new RedisKeys("Ledger"), "b", 2);
    deadLetter(new RedisKeys("Ledger"), "c", 3);
    Run deleted = cli("dead", "Ledger", "--delete", gone);
    assertOk(deleted);
    assertThat(deleted.out().strip())
        .isEqualTo("deleted dead letter " + gone + " of Ledger (add[\"a\",1])");
    Run purged = cli("dead", "Ledger", "--purge");
    assertOk(purged);
    assertThat(purged.out().strip()).isEqualTo("purged 2 dead letters of Ledger");
    assertThat(raw.sync().xlen(new RedisKeys("Ledger").deadLetters())).isZero();
    assertThat(RUNS.runs).hasSize(2);
  }

  @Test
  void aPartitionedServiceShowsTheDeadLettersOfEveryPartition() {
    List<RedisKeys> partitions = RedisKeys.partitions("Shards", 2);
    String zero = deadLetter(partitions.get(0), "p0", 0);
    String one = deadLetter(partitions.get(1), "p1", 1);

    Run text = cli("dead", "Shards");
    assertOk(text);
    assertThat(text.out()).startsWith("Shards: 2 dead letters").contains("0/" + zero, "1/" + one);

    Run replayed = cli("dead", "Shards", "--replay", "1/" + one);
    assertOk(replayed);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> RUNS.runs.contains("p1:1"));
    assertThat(raw.sync().xlen(partitions.get(1).deadLetters())).isZero();
    assertThat(raw.sync().xlen(partitions.get(0).deadLetters())).isEqualTo(1);
  }

  @Test
  void withoutALiveServerDeadLettersAreListedButNotReplayed() {
    String id = deadLetter(new RedisKeys("Orphan"), "lost", 1);

    Run list = cli("dead", "Orphan");
    assertOk(list);
    assertThat(list.out()).startsWith("Orphan: 1 dead letter\n").contains(id);

    CliJar.assertOneErrorLine(
        cli("dead", "Orphan", "--replay", id),
        "redisrpc dead: error: No live server of Orphan to replay dead letter " + id);
    CliJar.assertOneErrorLine(cli("dead", "Orphan", "--all"), "No live server of Orphan");
    assertThat(raw.sync().xlen(new RedisKeys("Orphan").deadLetters())).isEqualTo(1);
  }

  static Stream<Arguments> badInputs() {
    return Stream.of(
        Arguments.of(List.of("dead", "Nope"), List.of("unknown service 'Nope'", "Ledger")),
        Arguments.of(
            List.of("dead", "Ledger", "--replay", "1-1"),
            List.of("redisrpc dead: error: no dead letter 1-1 of Ledger")),
        Arguments.of(
            List.of("dead", "Ledger", "--delete", "1-1"), List.of("no dead letter 1-1 of Ledger")),
        Arguments.of(
            List.of("dead", "Ledger", "--replay", "latest"),
            List.of("'latest' is not a dead-letter id")),
        Arguments.of(
            List.of("dead", "Ledger", "--replay", "1-1", "--purge"),
            List.of("choose one of --replay ID, --all, --purge and --delete ID")),
        Arguments.of(
            List.of("dead", "Shards", "--replay", "5/1-1"),
            List.of("Shards has 2 partition(s), no partition 5")),
        Arguments.of(
            List.of("dead", "Ledger", "--limit", "0"), List.of("--limit must be at least 1")),
        Arguments.of(List.of("dead", "no such"), List.of("Invalid service name 'no such'")));
  }

  @ParameterizedTest
  @MethodSource("badInputs")
  void badInputGivesOneLineAndExitCode1(List<String> args, List<String> fragments) {
    CliJar.assertOneErrorLine(cli(args.toArray(String[]::new)), fragments.toArray(String[]::new));
  }

  @Test
  void helpAndCompletionKnowTheCommand() {
    Run help = cli("--help");
    assertOk(help);
    assertThat(help.out()).contains("  dead ");
    Run dead = cli("dead", "--help");
    assertOk(dead);
    assertThat(dead.out())
        .startsWith("Usage: redisrpc dead")
        .contains("--replay", "--all", "--purge", "--delete", "--limit", "--json", "--redis");
    Run completion = cli("completion");
    assertOk(completion);
    assertThat(completion.out()).contains("dead", "--replay", "--purge");
  }
}
