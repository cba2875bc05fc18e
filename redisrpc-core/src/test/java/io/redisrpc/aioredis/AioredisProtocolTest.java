package io.redisrpc.aioredis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.redisrpc.Codec;
import io.redisrpc.DeadlineExceededException;
import io.redisrpc.Endpoint;
import io.redisrpc.NotConnectedException;
import io.redisrpc.Protocol;
import io.redisrpc.RemoteException;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.StatusCode;
import io.redisrpc.aioredis.Dropbox.FileData;
import io.redisrpc.aioredis.Dropbox.FileTag;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import org.msgpack.value.ValueType;

/** The aioredis-rpc protocol between Java clients and servers, and against raw Redis messages. */
@WithRedis
class AioredisProtocolTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final RedisCodec<String, byte[]> RAW =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  /** A checked exception the endpoint declares. */
  public static class QuotaException extends Exception {
    private static final long serialVersionUID = 1L;

    public QuotaException(String message) {
      super(message);
    }
  }

  @RpcService("Quota")
  public interface Quota {
    @Endpoint
    int reserve(int n) throws QuotaException;

    @Endpoint
    String lookup(String key);

    @Endpoint
    CompletableFuture<String> shout(String word);
  }

  static final class QuotaService implements Quota {
    @Override
    public int reserve(int n) throws QuotaException {
      if (n > 10) {
        throw new QuotaException("quota of " + n + " exceeded");
      }
      return n;
    }

    @Override
    public String lookup(String key) {
      throw new NoSuchElementException("no key " + key);
    }

    @Override
    public CompletableFuture<String> shout(String word) {
      return CompletableFuture.supplyAsync(word::toUpperCase);
    }
  }

  @RpcService("Dropbox")
  public interface DropboxWithDelete {
    @Endpoint
    boolean deleteFile(String name);
  }

  @RpcService("Counter")
  public interface Counter {
    @Endpoint
    int hit();
  }

  private final List<AutoCloseable> resources = new ArrayList<>();
  private RedisClient rawClient;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closing(T resource) {
    resources.add(resource);
    return resource;
  }

  static Protocol freshQueue() {
    return Protocol.aioredisRpc("queue_" + UUID.randomUUID());
  }

  private <T> RpcClient<T> client(Class<T> type, Protocol protocol, RedisProcess redis) {
    return closing(RpcClient.builder(type).protocol(protocol).build().connect(redis.uri()));
  }

  private <T> RpcServer server(Class<T> type, T impl, Protocol protocol, RedisProcess redis) {
    return closing(RpcServer.builder(type, impl).protocol(protocol).build().connect(redis.uri()));
  }

  /** A raw subscriber of {@code channel}, collecting what is published there. */
  private BlockingQueue<byte[]> subscribe(RedisProcess redis, String channel) throws Exception {
    StatefulRedisPubSubConnection<String, byte[]> sub = closing(raw(redis).connectPubSub(RAW));
    BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
    sub.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String ch, byte[] message) {
            messages.add(message);
          }
        });
    sub.async().subscribe(channel).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    return messages;
  }

  private long publish(RedisProcess redis, String channel, byte[] message) {
    try (var connection = raw(redis).connect(RAW)) {
      return connection.sync().publish(channel, message);
    }
  }

  /** A plain Lettuce client of this test's Redis, for raw messages. */
  private RedisClient raw(RedisProcess redis) {
    if (rawClient == null) {
      RedisClient client = RedisClient.create(redis.uri());
      closing(client::shutdown);
      rawClient = client;
    }
    return rawClient;
  }

  private static byte[] poll(BlockingQueue<byte[]> queue) throws InterruptedException {
    byte[] message = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(message).as("a message within %s", WAIT).isNotNull();
    return message;
  }

  /** The keys of a message map, in order, and their values. */
  private static List<String> keys(byte[] message, List<Value> values) throws IOException {
    try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(message)) {
      int size = unpacker.unpackMapHeader();
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        keys.add(unpacker.unpackString());
        values.add(unpacker.unpackValue());
      }
      assertThat(unpacker.hasNext()).isFalse();
      return keys;
    }
  }

  // ------------------------------------------------------------------ Java to Java

  @Test
  void javaClientAndServerSpeakAioredisRpc(RedisProcess redis) {
    Protocol protocol = freshQueue();
    List<String> handled = new CopyOnWriteArrayList<>();
    closing(
        RpcServer.builder(Dropbox.class, new Dropbox.Service(2))
            .protocol(protocol)
            .addInterceptor(
                chain -> {
                  handled.add(chain.call().method());
                  return chain.proceed(chain.call());
                })
            .build()
            .connect(redis.uri()));
    RpcClient<Dropbox> client = client(Dropbox.class, protocol, redis);
    assertThat(client.protocol()).isEqualTo(protocol);
    assertThat(client.codec()).isEqualTo(Codec.MSGPACK);
    assertThat(client.clientId()).matches("[0-9a-f]{12}1[0-9a-f]{19}");

    Dropbox box = client.proxy();
    UUID tag = UUID.randomUUID();
    Instant at = Instant.parse("2024-02-29T12:00:00.123456Z");
    assertThat(box.uploadFile(new FileData("a", new byte[] {1, 2, 3}))).isEqualTo(3);
    assertThat(box.getFileNames()).containsExactly("a");
    assertThat(box.downloadFile("a")).isEqualTo(new FileData("a", new byte[] {1, 2, 3}));
    assertThat(box.tagFile("a", tag, at)).isEqualTo(new FileTag("a", tag, at, 3));
    assertThat(handled).containsExactly("uploadFile", "getFileNames", "downloadFile", "tagFile");
    assertThat(client.pendingCalls()).isZero();
  }

  @Test
  void errorsArriveAsTheNativeProtocolsExceptions(RedisProcess redis) {
    Protocol protocol = freshQueue();
    server(Quota.class, new QuotaService(), protocol, redis);
    Quota quota = client(Quota.class, protocol, redis).proxy();

    assertThat(quota.shout("hey").join()).isEqualTo("HEY");
    assertThatThrownBy(() -> quota.reserve(11))
        .isExactlyInstanceOf(QuotaException.class)
        .hasMessage("quota of 11 exceeded")
        .cause()
        .isInstanceOfSatisfying(
            RemoteException.class,
            remote -> {
              assertThat(remote.code()).isEqualTo(StatusCode.UNKNOWN);
              assertThat(remote.remoteType()).contains("QuotaException");
            });
    RemoteException e = catchThrowableOfType(RemoteException.class, () -> quota.lookup("k"));
    assertThat(e.code()).isEqualTo(StatusCode.UNKNOWN);
    assertThat(e.remoteType()).contains("NoSuchElementException");
    assertThat(e.remoteMessage()).isEqualTo("no key k");
    assertThat(e.method()).isEqualTo("Quota.lookup");
  }

  @Test
  void unknownMethodIsAnsweredWithAnError(RedisProcess redis) {
    Protocol protocol = freshQueue();
    server(Dropbox.class, new Dropbox.Service(2), protocol, redis);
    RpcClient<DropboxWithDelete> newer = client(DropboxWithDelete.class, protocol, redis);

    RemoteException e =
        catchThrowableOfType(RemoteException.class, () -> newer.proxy().deleteFile("a"));
    assertThat(e.remoteType()).contains("NotImplementedError");
    assertThat(e.remoteMessage()).isEqualTo("'delete_file' is not an endpoint of Dropbox");
    assertThat(newer.pendingCalls()).isZero();
  }

  // ------------------------------------------------------------------ the seed's semantics

  @Test
  void nobodyOnTheQueueFailsAtOnceAsNotConnected(RedisProcess redis) {
    Protocol protocol = freshQueue();
    RpcClient<Dropbox> client = client(Dropbox.class, protocol, redis);
    assertThatThrownBy(() -> client.proxy().getFileNames())
        .isInstanceOf(NotConnectedException.class)
        .hasMessageStartingWith("remote endpoint not connected");
    assertThat(client.pendingCalls()).isZero();

    RpcServer server = server(Dropbox.class, new Dropbox.Service(2), protocol, redis);
    assertThat(client.proxy().getFileNames()).isEmpty();
    server.close();
    assertThat(server.isRunning()).isFalse();
    assertThatThrownBy(() -> client.proxy().getFileNames())
        .isInstanceOf(NotConnectedException.class)
        .hasMessageStartingWith("remote endpoint not connected")
        .extracting(t -> ((NotConnectedException) t).code())
        .isEqualTo(StatusCode.UNAVAILABLE);
  }

  @Test
  void silentSubscriberLeavesTheCallerToItsDeadline(RedisProcess redis) throws Exception {
    Protocol protocol = freshQueue();
    BlockingQueue<byte[]> requests = subscribe(redis, protocol.queueName().orElseThrow());
    RpcClient<Dropbox> client =
        closing(
            RpcClient.builder(Dropbox.class)
                .protocol(protocol)
                .timeout(Duration.ofMillis(300))
                .build()
                .connect(redis.uri()));
    long start = System.nanoTime();
    assertThatThrownBy(() -> client.proxy().getFileNames())
        .isInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("Dropbox.getFileNames timed out after");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WAIT);
    assertThat(client.pendingCalls()).isZero();
    assertThat(poll(requests)).isNotEmpty();
  }

  @Test
  void everyServerOnTheQueueRunsEveryRequest(RedisProcess redis) {
    Protocol protocol = freshQueue();
    AtomicInteger first = new AtomicInteger();
    AtomicInteger second = new AtomicInteger();
    server(Counter.class, first::incrementAndGet, protocol, redis);
    server(Counter.class, second::incrementAndGet, protocol, redis);
    RpcClient<Counter> client = client(Counter.class, protocol, redis);

    assertThat(client.proxy().hit()).isEqualTo(1);
    await().atMost(WAIT).until(() -> first.get() == 1 && second.get() == 1);
    await().atMost(WAIT).until(() -> client.pendingCalls() == 0);
  }

  // ------------------------------------------------------------------ raw messages

  @Test
  void requestOnTheWireIsTheSeedsMessage(RedisProcess redis) throws Exception {
    Protocol protocol = freshQueue();
    BlockingQueue<byte[]> requests = subscribe(redis, protocol.queueName().orElseThrow());
    RpcClient<Dropbox> client = client(Dropbox.class, protocol, redis);
    CompletableFuture<Integer> call =
        CompletableFuture.supplyAsync(
            () -> client.proxy().uploadFile(new FileData("f", new byte[] {7})));

    byte[] request = poll(requests);
    List<Value> values = new ArrayList<>();
    assertThat(keys(request, values))
        .containsExactly("id", "reply_to", "name", "args", "kwargs", "result", "error");
    String id = values.get(0).asStringValue().asString();
    assertThat(id).matches("[0-9a-f]{12}1[0-9a-f]{19}");
    assertThat(values.get(1).asStringValue().asString())
        .isEqualTo("rpc_client." + client.clientId());
    assertThat(values.get(2).asStringValue().asString()).isEqualTo("upload_file");
    Value file = values.get(3).asArrayValue().get(0);
    Value[] fields = file.asMapValue().getKeyValueArray();
    assertThat(fields).hasSize(4);
    assertThat(fields[0].asStringValue().asString()).isEqualTo("name");
    assertThat(fields[1].asStringValue().asString()).isEqualTo("f");
    assertThat(fields[2].asStringValue().asString()).isEqualTo("data");
    assertThat(fields[3].getValueType()).isEqualTo(ValueType.BINARY);
    assertThat(fields[3].asBinaryValue().asByteArray()).containsExactly(7);
    assertThat(values.get(4).asMapValue().size()).isZero();
    assertThat(values.get(5).isNilValue()).isTrue();
    assertThat(values.get(6).isNilValue()).isTrue();

    // Answer by hand, as a Python server would.
    try (MessageBufferPacker reply = MessagePack.newDefaultBufferPacker()) {
      reply.packMapHeader(7);
      reply.packString("id").packString(id);
      reply.packString("reply_to").packNil();
      reply.packString("name").packString("upload_file");
      reply.packString("args").packArrayHeader(0);
      reply.packString("kwargs").packMapHeader(0);
      reply.packString("result").packInt(1);
      reply.packString("error").packNil();
      assertThat(publish(redis, "rpc_client." + client.clientId(), reply.toByteArray())).isOne();
    }
    assertThat(call.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(1);
  }

  @Test
  void serverBindsKeywordArgumentsAndRepliesOnlyToClientChannels(RedisProcess redis)
      throws Exception {
    Protocol protocol = freshQueue();
    RpcServer server = server(Dropbox.class, new Dropbox.Service(2), protocol, redis);
    String replyTo = "rpc_client.raw" + UUID.randomUUID().toString().replace("-", "");
    BlockingQueue<byte[]> replies = subscribe(redis, replyTo);
    BlockingQueue<byte[]> elsewhere = subscribe(redis, "elsewhere");

    assertThat(publish(redis, protocol.queueName().orElseThrow(), uploadByKeyword("k1", replyTo)))
        .isOne();
    byte[] reply = poll(replies);
    List<Value> values = new ArrayList<>();
    assertThat(keys(reply, values))
        .containsExactly("id", "reply_to", "name", "args", "kwargs", "result", "error");
    assertThat(values.get(0).asStringValue().asString()).isEqualTo("k1");
    assertThat(values.get(1).isNilValue()).isTrue();
    assertThat(values.get(2).asStringValue().asString()).isEqualTo("upload_file");
    assertThat(values.get(3).asArrayValue().size()).isZero();
    assertThat(values.get(4).asMapValue().size()).isZero();
    assertThat(values.get(5).asIntegerValue().asInt()).isEqualTo(2);
    assertThat(values.get(6).isNilValue()).isTrue();

    // Servers publish only on rpc_client.* channels, whatever a message asks for.
    publish(redis, protocol.queueName().orElseThrow(), uploadByKeyword("k2", "elsewhere"));
    publish(redis, protocol.queueName().orElseThrow(), new byte[] {(byte) 0xc1});
    await().atMost(WAIT).until(() -> server.rejectedMessages() == 2);
    assertThat(elsewhere).isEmpty();
    assertThat(replies).isEmpty();
  }

  /** upload_file(file={'name': 'kw', 'data': b'\x01\x02'}) from a Python caller. */
  private static byte[] uploadByKeyword(String id, String replyTo) throws IOException {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packMapHeader(7);
      p.packString("id").packString(id);
      p.packString("reply_to").packString(replyTo);
      p.packString("name").packString("upload_file");
      p.packString("args").packArrayHeader(0);
      p.packString("kwargs").packMapHeader(1);
      p.packString("file").packMapHeader(2);
      p.packString("name").packString("kw");
      p.packString("data").packBinaryHeader(2).writePayload(new byte[] {1, 2});
      p.packString("result").packNil();
      p.packString("error").packNil();
      return p.toByteArray();
    }
  }
}
