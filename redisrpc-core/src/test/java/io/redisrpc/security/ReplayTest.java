package io.redisrpc.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.redisrpc.Endpoint;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.internal.transport.MessageSigner;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With a shared secret, a captured message replayed by someone without the secret achieves nothing:
 * a signed request runs at most once however often it is appended again, and a signed reply is
 * accepted only on the channel, and for the call, it was made for.
 */
@WithRedis
class ReplayTest {
  private static final byte[] SECRET =
      "a secret of 32 bytes, not less!!".getBytes(StandardCharsets.UTF_8);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STREAM = "rpc:{Replay}:requests";

  @RpcService("Replay")
  public interface Bank {
    /** At-most-once. */
    @Endpoint
    CompletableFuture<String> pay(String to);

    @Endpoint
    CompletableFuture<String> hold(String name);
  }

  static final class BankImpl implements Bank {
    final Map<String, AtomicInteger> payments = new ConcurrentHashMap<>();
    volatile CompletableFuture<String> gate = CompletableFuture.completedFuture("open");

    int paid(String to) {
      AtomicInteger n = payments.get(to);
      return n == null ? 0 : n.get();
    }

    @Override
    public CompletableFuture<String> pay(String to) {
      payments.computeIfAbsent(to, k -> new AtomicInteger()).incrementAndGet();
      return CompletableFuture.completedFuture("paid " + to);
    }

    @Override
    public CompletableFuture<String> hold(String name) {
      return gate.thenApply(x -> name);
    }
  }

  static RedisClient admin;
  static StatefulRedisConnection<byte[], byte[]> bytes;
  static RedisCommands<byte[], byte[]> sync;

  @BeforeAll
  static void connectAdmin(RedisProcess redis) {
    admin = RedisClient.create(redis.uri());
    bytes = admin.connect(ByteArrayCodec.INSTANCE);
    sync = bytes.sync();
  }

  @AfterAll
  static void closeAdmin() {
    bytes.close();
    admin.shutdown(0, 2, TimeUnit.SECONDS);
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static RpcServer server(RedisProcess redis, BankImpl impl) {
    return RpcServer.builder(Bank.class, (Bank) impl)
        .sharedSecret(SECRET)
        .maxConcurrency(1)
        .build()
        .connect(redis.uri());
  }

  private static RpcClient<Bank> client(RedisProcess redis) {
    return RpcClient.builder(Bank.class)
        .sharedSecret(SECRET)
        .timeout(Duration.ofSeconds(20))
        .build()
        .connect(redis.uri());
  }

  /** The value of {@code field} in {@code entry}, or null. */
  private static byte[] field(StreamMessage<byte[], byte[]> entry, String field) {
    for (Map.Entry<byte[], byte[]> f : entry.getBody().entrySet()) {
      if (java.util.Arrays.equals(f.getKey(), b(field))) {
        return f.getValue();
      }
    }
    return null;
  }

  private static boolean mentions(StreamMessage<byte[], byte[]> entry, String text) {
    byte[] payload = field(entry, "payload");
    return payload != null && new String(payload, StandardCharsets.UTF_8).contains(text);
  }

  /** The fields of the entries now in the stream, in order, as written. */
  private static List<StreamMessage<byte[], byte[]>> entries() {
    return sync.xrange(b(STREAM), Range.unbounded());
  }

  /** A signed call held in the queue behind a busy server's only slot, then captured. */
  private static Map<byte[], byte[]> captureQueued(BankImpl impl, RpcClient<Bank> client, String to)
      throws Exception {
    impl.gate = new CompletableFuture<>();
    client.proxy().hold("busy");
    CompletableFuture<String> payment = client.proxy().pay(to);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> entries().stream().anyMatch(e -> mentions(e, to)));
    Map<byte[], byte[]> captured =
        entries().stream().filter(e -> mentions(e, to)).findFirst().orElseThrow().getBody();
    impl.gate.complete("go");
    assertThat(payment.get(10, TimeUnit.SECONDS)).isEqualTo("paid " + to);
    return captured;
  }

  @Test
  void aSignedRequestAppendedAgainNeverRunsTwice(RedisProcess redis) throws Exception {
    BankImpl impl = new BankImpl();
    try (RpcServer server = server(redis, impl);
        RpcClient<Bank> client = client(redis)) {
      Map<byte[], byte[]> captured = captureQueued(impl, client, "mallory");
      long rejectedBefore = server.rejectedMessages();
      for (int i = 0; i < 100; i++) {
        sync.xadd(b(STREAM), captured);
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> server.rejectedMessages() - rejectedBefore == 100);
      assertThat(impl.paid("mallory")).isEqualTo(1);
      assertThat(client.proxy().pay("bob").get(10, TimeUnit.SECONDS)).isEqualTo("paid bob");
    }
  }

  @Test
  void aCopyAppendedWhileTheOriginalStillWaitsRunsOnlyOnce(RedisProcess redis) throws Exception {
    BankImpl impl = new BankImpl();
    try (RpcServer server = server(redis, impl);
        RpcClient<Bank> client = client(redis)) {
      impl.gate = new CompletableFuture<>();
      CompletableFuture<String> busy = client.proxy().hold("busy");
      CompletableFuture<String> payment = client.proxy().pay("eve");
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> entries().stream().anyMatch(e -> mentions(e, "eve")));
      Map<byte[], byte[]> original =
          entries().stream().filter(e -> mentions(e, "eve")).findFirst().orElseThrow().getBody();
      for (int i = 0; i < 10; i++) {
        sync.xadd(b(STREAM), original);
      }
      impl.gate.complete("go");
      assertThat(busy.get(10, TimeUnit.SECONDS)).isEqualTo("busy");
      assertThat(payment.get(10, TimeUnit.SECONDS)).isEqualTo("paid eve");
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> sync.xlen(b(STREAM)) == 0);
      assertThat(impl.paid("eve")).isEqualTo(1);
    }
  }

  @Test
  void copiesTakenTogetherWithTheirOriginalsAndManyOtherCallsRunOnlyOnce(RedisProcess redis)
      throws Exception {
    BankImpl impl = new BankImpl();
    try (RpcServer server =
            RpcServer.builder(Bank.class, (Bank) impl)
                .sharedSecret(SECRET)
                .maxConcurrency(64)
                .build()
                .connect(redis.uri());
        RpcClient<Bank> client = client(redis)) {
      // Every slot held: the payments and their copies wait in the stream, then are taken in
      // reads of many entries at once, whose calls are recorded together.
      impl.gate = new CompletableFuture<>();
      List<CompletableFuture<String>> holds = new java.util.ArrayList<>();
      for (int i = 0; i < 64; i++) {
        holds.add(client.proxy().hold("h" + i));
      }
      List<CompletableFuture<String>> payments = new java.util.ArrayList<>();
      for (int i = 0; i < 100; i++) {
        payments.add(client.proxy().pay("payee-" + i));
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> entries().stream().filter(e -> mentions(e, "payee-")).count() == 100);
      long rejectedBefore = server.rejectedMessages();
      for (StreamMessage<byte[], byte[]> original : entries()) {
        if (mentions(original, "payee-")) {
          sync.xadd(b(STREAM), original.getBody());
        }
      }
      impl.gate.complete("go");
      for (int i = 0; i < 100; i++) {
        assertThat(payments.get(i).get(20, TimeUnit.SECONDS)).isEqualTo("paid payee-" + i);
      }
      for (CompletableFuture<String> hold : holds) {
        hold.get(20, TimeUnit.SECONDS);
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> server.rejectedMessages() - rejectedBefore == 100);
      for (int i = 0; i < 100; i++) {
        assertThat(impl.paid("payee-" + i)).as("payee-%d", i).isEqualTo(1);
      }
    }
  }

  @Test
  void aReplayWithAForgedFieldBeforeTheSignedOneIsRefused(RedisProcess redis) throws Exception {
    BankImpl impl = new BankImpl();
    try (RpcServer server = server(redis, impl);
        RpcClient<Bank> client = client(redis)) {
      Map<byte[], byte[]> captured = captureQueued(impl, client, "trudy");
      long rejectedBefore = server.rejectedMessages();
      // payload (forged), then the captured fields with the signed payload again.
      io.lettuce.core.protocol.CommandArgs<byte[], byte[]> args =
          new io.lettuce.core.protocol.CommandArgs<>(ByteArrayCodec.INSTANCE)
              .addKey(b(STREAM))
              .add("*")
              .add(b("payload"))
              .add(b("{\"id\":\"forged\"}"));
      captured.forEach((k, v) -> args.add(k).add(v));
      sync.dispatch(
          io.lettuce.core.protocol.CommandType.XADD,
          new io.lettuce.core.output.StatusOutput<>(ByteArrayCodec.INSTANCE),
          args);
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> server.rejectedMessages() - rejectedBefore == 1);
      assertThat(impl.paid("trudy")).isEqualTo(1);
    }
  }

  @Test
  void aSignedRequestSentOutsideTheReplayWindowIsRefused(RedisProcess redis) throws Exception {
    BankImpl impl = new BankImpl();
    try (RpcServer server = server(redis, impl)) {
      MessageSigner signer = new MessageSigner(SECRET);
      List<byte[]> time = sync.time();
      long now = Long.parseLong(new String(time.get(0))) * 1000;
      for (long sentAt : new long[] {now - 3_600_000, now + 3_600_000}) {
        byte[] payload =
            b(
                "{\"v\":2,\"id\":\"w"
                    + sentAt
                    + "\",\"reply_to\":\"rpc:{Replay}:reply:x\",\"method\":\"pay\","
                    + "\"timeout_ms\":10000,\"sent_at_ms\":"
                    + sentAt
                    + ",\"args\":[\"oscar\"]}");
        Map<byte[], byte[]> fields = new LinkedHashMap<>();
        fields.put(b("codec"), b("json"));
        fields.put(b("payload"), payload);
        fields.put(b("sig"), signer.signRequest(STREAM, b("json"), payload));
        sync.xadd(b(STREAM), fields);
      }
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.rejectedMessages() == 2);
      assertThat(impl.paid("oscar")).isZero();
    }
  }

  @Test
  void aSignedReplyPublishedOnAnotherClientsChannelIsDropped(RedisProcess redis) throws Exception {
    BankImpl impl = new BankImpl();
    try (RpcServer server =
            RpcServer.builder(Bank.class, (Bank) impl)
                .sharedSecret(SECRET)
                .build()
                .connect(redis.uri());
        RpcClient<Bank> alice = client(redis);
        RpcClient<Bank> bob = client(redis);
        StatefulRedisPubSubConnection<byte[], byte[]> spy =
            admin.connectPubSub(ByteArrayCodec.INSTANCE)) {
      LinkedBlockingQueue<byte[]> captured = new LinkedBlockingQueue<>();
      spy.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] channel, byte[] message) {
              captured.add(message);
            }
          });
      spy.sync().subscribe(b("rpc:{Replay}:reply:" + alice.clientId()));
      impl.gate = new CompletableFuture<>();
      // Bob's first call waits; Alice's first call is answered, and its reply captured.
      CompletableFuture<String> bobs = bob.proxy().hold("bob's");
      CompletableFuture<String> alices = alice.proxy().pay("alice's landlord");
      assertThat(alices.get(10, TimeUnit.SECONDS)).isEqualTo("paid alice's landlord");
      byte[] reply = captured.poll(10, TimeUnit.SECONDS);
      assertThat(reply).isNotNull();
      long droppedBefore = bob.droppedReplies();
      sync.publish(b("rpc:{Replay}:reply:" + bob.clientId()), reply);
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> bob.droppedReplies() > droppedBefore);
      assertThat(bobs).isNotDone();
      impl.gate.complete("go");
      assertThat(bobs.get(10, TimeUnit.SECONDS)).isEqualTo("bob's");
    }
  }

  @Test
  void callIdsAreUniqueAcrossClientInstances(RedisProcess redis) throws Exception {
    BankImpl impl = new BankImpl();
    try (RpcServer server = server(redis, impl);
        RpcClient<Bank> one = client(redis);
        RpcClient<Bank> two = client(redis)) {
      impl.gate = new CompletableFuture<>();
      CompletableFuture<String> busy = one.proxy().hold("busy");
      one.proxy().pay("first of one");
      two.proxy().pay("first of two");
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> entries().size() >= 2);
      List<String> ids =
          entries().stream()
              .map(
                  e -> {
                    try {
                      return JSON.readTree(field(e, "payload")).get("id").asText();
                    } catch (java.io.IOException ex) {
                      throw new java.io.UncheckedIOException(ex);
                    }
                  })
              .toList();
      assertThat(ids).doesNotHaveDuplicates();
      impl.gate.complete("go");
      busy.get(10, TimeUnit.SECONDS);
    }
  }
}
