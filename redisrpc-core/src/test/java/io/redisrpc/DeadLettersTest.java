package io.redisrpc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redisrpc.topology.OnEveryTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dead letters made as servers make them (calls of a server that died, taken over past {@code
 * maxDeliveries}), then listed, replayed and purged through {@link DeadLetters}, on one Redis node
 * and on a Redis Cluster, where a partitioned service's dead letters live on several primaries.
 */
class DeadLettersTest extends OnEveryTopology {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String DIED =
      "Ledger.add was delivered 1 times without completing; moved to the dead-letter stream";

  @RpcService("Ledger")
  public interface Ledger {
    @Endpoint(idempotent = true)
    CompletableFuture<Long> add(String account, long cents, byte[] memo);
  }

  @RpcService(value = "Shards", partitions = 3)
  public interface Shards {
    @Endpoint(idempotent = true)
    CompletableFuture<Integer> put(int n);
  }

  @RpcService("Vault")
  public interface Vault {
    @Endpoint(idempotent = true)
    CompletableFuture<String> keep(String item);
  }

  /** Records every call it runs. */
  static final class Runs implements Ledger, Shards, Vault {
    final Collection<String> runs = new ConcurrentLinkedQueue<>();

    @Override
    public CompletableFuture<Long> add(String account, long cents, byte[] memo) {
      runs.add(account + ":" + cents + ":" + new String(memo, UTF_8));
      return CompletableFuture.completedFuture(cents);
    }

    @Override
    public CompletableFuture<Integer> put(int n) {
      runs.add("put:" + n);
      return CompletableFuture.completedFuture(n);
    }

    @Override
    public CompletableFuture<String> keep(String item) {
      runs.add("keep:" + item);
      return CompletableFuture.completedFuture(item);
    }
  }

  @BeforeEach
  void emptyRedis() {
    redis().commands().flushall();
  }

  /**
   * Starts a server of {@code type} that moves every call taken over from a dead server to the dead
   * letters at once.
   */
  private static <T> RpcServer.Builder<T> serverOf(Class<T> type, T impl) {
    return RpcServer.builder(type, impl)
        .visibilityTimeout(Duration.ofMillis(200))
        .maxDeliveries(1)
        .heartbeatInterval(Duration.ofMillis(200));
  }

  /**
   * Makes the calls of {@code calls} run on a ghost instance of {@code service} that dies, then
   * connects {@code server}, which dead-letters them; returns the server once every caller got its
   * UNAVAILABLE.
   */
  private static RpcServer deadLetter(
      String service,
      int partitions,
      RpcServer.Builder<?> server,
      List<java.util.function.Supplier<CompletableFuture<?>>> calls)
      throws Exception {
    List<CompletableFuture<?>> futures = new ArrayList<>();
    GhostInstance ghost = GhostInstance.appear(redis().commands(), service, partitions);
    for (var call : calls) {
      futures.add(call.get());
    }
    ghost.take(calls.size());
    ghost.die();
    RpcServer connected = server.build().connect(uri());
    for (CompletableFuture<?> f : futures) {
      assertThatThrownBy(() -> f.get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .cause()
          .isInstanceOfSatisfying(
              RemoteException.class,
              e -> {
                assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
                assertThat(e.remoteMessage()).contains("moved to the dead-letter stream");
              });
    }
    return connected;
  }

  private static RpcClient<Ledger> ledgerClient(String uri, Codec codec) {
    return RpcClient.builder(Ledger.class)
        .codec(codec)
        .timeout(Duration.ofSeconds(30))
        .build()
        .connect(uri);
  }

  @Test
  void deadLettersAreListedWithWhatTheirRequestsSayInEitherCodec() throws Exception {
    Runs impl = new Runs();
    try (RpcClient<Ledger> json = ledgerClient(uri(), Codec.JSON);
        RpcClient<Ledger> msgpack = ledgerClient(uri(), Codec.MSGPACK);
        RpcServer server =
            deadLetter(
                "Ledger",
                1,
                serverOf(Ledger.class, (Ledger) impl),
                List.of(
                    () -> json.proxy().add("acme", 250, "memo".getBytes(UTF_8)),
                    () -> msgpack.proxy().add("initech", 9_000_000_000L, new byte[] {1, 2}),
                    () -> json.proxy().add("acme", -1, new byte[0])));
        DeadLetters dead = DeadLetters.connect(uri())) {
      assertThat(dead.count("Ledger")).isEqualTo(3);
      try (RpcRegistry registry = RpcRegistry.connect(uri())) {
        assertThat(registry.stats("Ledger").deadLetters()).isEqualTo(3);
      }
      List<DeadLetter> letters = dead.list("Ledger", 10);
      assertThat(letters).hasSize(3);
      assertThat(letters)
          .extracting(DeadLetter::deadLetteredAt)
          .isSortedAccordingTo(java.util.Comparator.naturalOrder());
      assertThat(letters)
          .extracting(l -> l.argumentsJson().orElseThrow())
          .containsExactlyInAnyOrder(
              "[\"acme\",250,\"bWVtbw==\"]",
              "[\"initech\",9000000000,\"AQI=\"]",
              "[\"acme\",-1,\"\"]");
      for (DeadLetter l : letters) {
        assertThat(l.service()).isEqualTo("Ledger");
        assertThat(l.id()).isEqualTo(l.entryId()).matches("\\d+-\\d+");
        assertThat(l.partition()).isZero();
        assertThat(l.requestId()).matches("\\d+-\\d+");
        assertThat(l.method()).contains("add");
        assertThat(l.deliveries()).isEqualTo(1);
        assertThat(l.error()).isEqualTo(DIED);
        assertThat(l.callId()).isPresent();
        assertThat(l.replyTo().orElseThrow()).startsWith("rpc:{Ledger}:reply:");
        assertThat(l.timeout()).hasValueSatisfying(t -> assertThat(t).isPositive());
        assertThat(l.signed()).isFalse();
        assertThat(l.problem()).isEmpty();
        assertThat(l.age()).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(WAIT);
        assertThat(l.codec())
            .isEqualTo(l.argumentsJson().get().contains("AQI=") ? "msgpack" : "json");
      }
      assertThat(impl.runs).as("nothing ran: the ghost took the calls").isEmpty();

      // Pages: two, then what comes after the second.
      List<DeadLetter> first = dead.list("Ledger", 2);
      List<DeadLetter> rest = dead.listAfter(first.get(1), 2);
      assertThat(first).containsExactlyElementsOf(letters.subList(0, 2));
      assertThat(rest).containsExactly(letters.get(2));
      assertThat(dead.listAfter(rest.get(0), 2)).isEmpty();
      assertThat(dead.find("Ledger", letters.get(1).id())).contains(letters.get(1));
    }
  }

  @Test
  void replayRunsTheCallAgainOnceAndTheDeadLettersShrink() throws Exception {
    Runs impl = new Runs();
    try (RpcClient<Ledger> client = ledgerClient(uri(), Codec.JSON);
        RpcServer server =
            deadLetter(
                "Ledger",
                1,
                serverOf(Ledger.class, (Ledger) impl),
                List.of(
                    () -> client.proxy().add("a", 1, "one".getBytes(UTF_8)),
                    () -> client.proxy().add("b", 2, "two".getBytes(UTF_8)),
                    () -> client.proxy().add("c", 3, "three".getBytes(UTF_8))));
        DeadLetters dead = DeadLetters.connect(uri())) {
      List<DeadLetter> letters = dead.list("Ledger", 10);
      DeadLetter b =
          letters.stream().filter(l -> l.argumentsJson().get().contains("\"b\"")).findFirst().get();

      assertThat(dead.replay("Ledger", b.id())).isEqualTo(b);
      Awaitility.await().atMost(WAIT).until(() -> impl.runs.contains("b:2:two"));
      assertThat(dead.count("Ledger")).isEqualTo(2);
      assertThat(dead.find("Ledger", b.id())).isEmpty();
      // Its caller got UNAVAILABLE long ago: the reply reaches its old channel and is dropped.
      Awaitility.await().atMost(WAIT).until(() -> client.droppedReplies() == 1);
      assertThat(client.pendingCalls()).isZero();
      assertThatThrownBy(() -> dead.replay("Ledger", b.id()))
          .isInstanceOf(NoSuchElementException.class)
          .hasMessage("no dead letter " + b.id() + " of Ledger");
      assertThatThrownBy(() -> dead.replay(b))
          .isInstanceOf(NoSuchElementException.class)
          .hasMessageContaining("replayed or deleted meanwhile");

      List<DeadLetter> replayed = dead.replayAll("Ledger");
      assertThat(replayed).hasSize(2).doesNotContain(b);
      Awaitility.await().atMost(WAIT).until(() -> impl.runs.size() == 3);
      assertThat(impl.runs).containsExactlyInAnyOrder("a:1:one", "b:2:two", "c:3:three");
      assertThat(dead.count("Ledger")).isZero();
      assertThat(dead.replayAll("Ledger")).isEmpty();
    }
  }

  @Test
  void withoutALiveServerNothingIsReplayedAndPurgeDeletes() throws Exception {
    Runs impl = new Runs();
    try (RpcClient<Ledger> client = ledgerClient(uri(), Codec.JSON);
        DeadLetters dead = DeadLetters.connect(uri())) {
      RpcServer server =
          deadLetter(
              "Ledger",
              1,
              serverOf(Ledger.class, (Ledger) impl),
              List.of(
                  () -> client.proxy().add("a", 1, new byte[0]),
                  () -> client.proxy().add("b", 2, new byte[0])));
      server.close(); // withdraws: no live server
      DeadLetter a = dead.list("Ledger", 1).get(0);

      assertThatThrownBy(() -> dead.replay(a))
          .isInstanceOf(NotConnectedException.class)
          .hasMessage(
              "No live server of Ledger to replay dead letter "
                  + a.id()
                  + "; it stays in the dead letters");
      assertThatThrownBy(() -> dead.replayAll("Ledger")).isInstanceOf(NotConnectedException.class);
      assertThat(dead.count("Ledger")).isEqualTo(2);

      assertThat(dead.purge("Ledger", a.id())).isEqualTo(a);
      assertThat(dead.list("Ledger", 10)).hasSize(1).doesNotContain(a);
      assertThatThrownBy(() -> dead.purge("Ledger", a.id()))
          .isInstanceOf(NoSuchElementException.class);
      assertThat(dead.purge("Ledger")).isEqualTo(1);
      assertThat(dead.count("Ledger")).isZero();
      assertThat(dead.purge("Ledger")).isZero();
      assertThat(impl.runs).isEmpty();
    }
  }

  @Test
  void badIdsNamesAndLimitsAreRefused() {
    try (DeadLetters dead = DeadLetters.connect(uri())) {
      assertThat(dead.list("Nobody", 10)).isEmpty();
      assertThat(dead.count("Nobody")).isZero();
      assertThat(dead.find("Nobody", "1-1")).isEmpty();
      assertThatThrownBy(() -> dead.find("Nobody", "latest"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'latest' is not a dead-letter id");
      assertThatThrownBy(() -> dead.replay("Nobody", "1-1"))
          .isInstanceOf(NoSuchElementException.class)
          .hasMessage("no dead letter 1-1 of Nobody");
      assertThatThrownBy(() -> dead.purge("Nobody", "1-1"))
          .isInstanceOf(NoSuchElementException.class);
      assertThatThrownBy(() -> dead.replay("Nobody", "1/1-1"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Nobody has 1 partition(s), no partition 1");
      assertThatThrownBy(() -> dead.list("no such", 10))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Invalid service name");
      assertThatThrownBy(() -> dead.list("Nobody", 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("limit must be at least 1: 0");
    }
  }

  @Test
  void aPayloadThatCannotBeDecodedIsListedWithWhatIsKnownButNotReplayed() {
    var c = redis().commands();
    try (DeadLetters dead = DeadLetters.connect(uri())) {
      // Fields as DEAD_LETTER writes them, around payloads no server could have read.
      String json =
          c.xadd(
              "rpc:{Ledger}:dead",
              Map.of(
                  "id", "17-0",
                  "codec", "json",
                  "payload", "{\"id\": \"1\", \"args\": [",
                  "deliveries", "3",
                  "error", "Ledger.add was delivered 3 times without completing"));
      String msgpack =
          c.xadd(
              "rpc:{Ledger}:dead",
              Map.of("id", "18-0", "codec", "msgpack", "payload", "\u00c1", "deliveries", "x"));
      List<DeadLetter> letters = dead.list("Ledger", 10);
      assertThat(letters).extracting(DeadLetter::id).containsExactly(json, msgpack);
      DeadLetter bad = letters.get(0);
      assertThat(bad.requestId()).isEqualTo("17-0");
      assertThat(bad.codec()).isEqualTo("json");
      assertThat(bad.deliveries()).isEqualTo(3);
      assertThat(bad.error()).startsWith("Ledger.add was delivered 3 times");
      assertThat(bad.problem()).hasValueSatisfying(p -> assertThat(p).startsWith("not json: "));
      assertThat(bad.method()).isEmpty();
      assertThat(bad.argumentsJson()).isEmpty();
      assertThat(letters.get(1).problem()).contains("not one well-formed MessagePack value");
      assertThat(letters.get(1).deliveries()).isEqualTo(-1);
      assertThat(letters.get(1).error()).isEmpty();

      assertThatThrownBy(() -> dead.replay(bad))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot be replayed: its payload cannot be decoded (not json: ");
      assertThat(dead.replayAll("Ledger")).as("both left where they are").isEmpty();
      assertThat(dead.count("Ledger")).isEqualTo(2);
      assertThat(dead.purge("Ledger", json)).isEqualTo(bad);
      assertThat(dead.list("Ledger", 10)).extracting(DeadLetter::id).containsExactly(msgpack);
    }
  }

  @Test
  void aPartitionedServiceHasItsDeadLettersInEveryPartition() throws Exception {
    Runs impl = new Runs();
    try (RpcClient<Shards> client =
            RpcClient.builder(Shards.class).timeout(Duration.ofSeconds(30)).build().connect(uri());
        RpcServer server =
            deadLetter(
                "Shards",
                3,
                serverOf(Shards.class, (Shards) impl),
                List.of(
                    () -> client.proxy().put(0),
                    () -> client.proxy().put(1),
                    () -> client.proxy().put(2),
                    () -> client.proxy().put(3),
                    () -> client.proxy().put(4),
                    () -> client.proxy().put(5)));
        DeadLetters dead = DeadLetters.connect(uri())) {
      List<DeadLetter> letters = dead.list("Shards", 100);
      assertThat(letters).hasSize(6);
      assertThat(letters).extracting(DeadLetter::partition).containsOnly(0, 1, 2);
      for (int p = 0; p < 3; p++) {
        int partition = p;
        assertThat(letters).filteredOn(l -> l.partition() == partition).hasSize(2);
      }
      assertThat(letters)
          .allSatisfy(l -> assertThat(l.id()).isEqualTo(l.partition() + "/" + l.entryId()))
          .allSatisfy(
              l -> assertThat(l.replyTo().get()).startsWith("rpc:{Shards#" + l.partition()));
      assertThat(letters)
          .extracting(DeadLetter::entryId)
          .isSortedAccordingTo(DeadLettersTest::byEntryId);

      // Paging walks across the partitions in the same order.
      List<DeadLetter> paged = new ArrayList<>(dead.list("Shards", 4));
      paged.addAll(dead.listAfter(paged.get(3), 4));
      assertThat(paged).containsExactlyElementsOf(letters);

      DeadLetter one = letters.get(4);
      assertThat(dead.replay("Shards", one.id())).isEqualTo(one);
      assertThat(dead.replay(letters.get(5))).isEqualTo(letters.get(5));
      Awaitility.await().atMost(WAIT).until(() -> impl.runs.size() == 2);
      assertThat(dead.replayAll("Shards")).containsExactlyElementsOf(letters.subList(0, 4));
      Awaitility.await().atMost(WAIT).until(() -> impl.runs.size() == 6);
      assertThat(impl.runs)
          .containsExactlyInAnyOrder("put:0", "put:1", "put:2", "put:3", "put:4", "put:5");
      assertThat(dead.count("Shards")).isZero();

      // Two partitions' streams may hold the same entry id: the partition then tells them apart.
      List<io.redisrpc.internal.transport.RedisKeys> keys =
          io.redisrpc.internal.transport.RedisKeys.partitions("Shards", 3);
      for (int p : new int[] {0, 2}) {
        redis()
            .commands()
            .xadd(
                keys.get(p).deadLetters(),
                new io.lettuce.core.XAddArgs().id("9999999999999-5"),
                Map.of("id", "9999999999999-5", "codec", "json", "payload", "{}"));
      }
      assertThatThrownBy(() -> dead.find("Shards", "9999999999999-5"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "dead letter 9999999999999-5 of Shards is in several partitions: name one, as 0/9999999999999-5 or 2/9999999999999-5");
      assertThat(dead.purge("Shards", "2/9999999999999-5").partition()).isEqualTo(2);
      assertThat(dead.find("Shards", "9999999999999-5"))
          .hasValueSatisfying(l -> assertThat(l.id()).isEqualTo("0/9999999999999-5"));
      assertThat(dead.purge("Shards")).isEqualTo(1);
    }
  }

  @Test
  void signedDeadLettersSaySoAndAreNotReplayed() throws Exception {
    byte[] secret = "a shared secret of the vault".getBytes(UTF_8);
    Runs impl = new Runs();
    try (RpcClient<Vault> client =
            RpcClient.builder(Vault.class)
                .sharedSecret(secret)
                .timeout(Duration.ofSeconds(30))
                .build()
                .connect(uri());
        RpcServer server =
            deadLetter(
                "Vault",
                1,
                serverOf(Vault.class, (Vault) impl).sharedSecret(secret),
                List.of(() -> client.proxy().keep("gold")));
        DeadLetters dead = DeadLetters.connect(uri())) {
      DeadLetter letter = dead.list("Vault", 10).get(0);
      assertThat(letter.signed()).isTrue();
      assertThat(letter.argumentsJson()).contains("[\"gold\"]");
      assertThatThrownBy(() -> dead.replay(letter))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot be replayed: it was signed");
      assertThatThrownBy(() -> dead.replayAll("Vault"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("accepts only signed requests");
      assertThat(dead.count("Vault")).isEqualTo(1);
      assertThat(impl.runs).isEmpty();
    }
  }

  private static int byEntryId(String a, String b) {
    String[] x = a.split("-");
    String[] y = b.split("-");
    int c = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
    return c != 0 ? c : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
  }
}
