package io.redisrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A one-way endpoint's caller waits only until the request is in the stream. */
@WithRedis
class OneWayTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RpcService("Notices")
  public interface Notices {
    @Endpoint(oneWay = true)
    void post(String text);

    @Endpoint(oneWay = true)
    CompletableFuture<Void> postLater(String text);

    @Endpoint(oneWay = true)
    void fail(String text);

    @Endpoint
    List<String> seen();
  }

  static final class NoticeBoard implements Notices {
    final List<String> posted = new CopyOnWriteArrayList<>();
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void post(String text) {
      started.countDown();
      await(release);
      posted.add(text);
    }

    @Override
    public CompletableFuture<Void> postLater(String text) {
      post(text);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void fail(String text) {
      throw new IllegalStateException("cannot post " + text);
    }

    @Override
    public List<String> seen() {
      return List.copyOf(posted);
    }
  }

  // README:oneWay:begin
  @RpcService("Audit")
  public interface Audit {
    @Endpoint(oneWay = true)
    void record(String event); // returns once the request is in the stream

    @Endpoint(oneWay = true, idempotent = true)
    CompletableFuture<Void> recordLater(String event); // completes then
  }

  // README:oneWay:end

  static final class AuditLog implements Audit {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void record(String event) {
      events.add(event);
    }

    @Override
    public CompletableFuture<Void> recordLater(String event) {
      record(event);
      return CompletableFuture.completedFuture(null);
    }
  }

  @RpcService("Broken")
  public interface Broken {
    @Endpoint(oneWay = true)
    String answer();
  }

  @RpcService("BrokenLater")
  public interface BrokenLater {
    @Endpoint(oneWay = true)
    CompletableFuture<Integer> answer();
  }

  @Test
  void theReadmeExampleRecordsBothEvents(RedisProcess redis) throws Exception {
    AuditLog log = new AuditLog();
    try (RpcServer server = RpcServer.create(Audit.class, log).connect(redis.uri());
        RpcClient<Audit> client = RpcClient.create(Audit.class).connect(redis.uri())) {
      client.proxy().record("login");
      client.proxy().recordLater("logout").get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      Awaitility.await().atMost(WAIT).until(() -> log.events.size() == 2);
      assertThat(log.events).containsExactlyInAnyOrder("login", "logout");
    }
  }

  @Test
  void oneWayCallReturnsBeforeTheHandlerRuns(RedisProcess redis) throws Exception {
    NoticeBoard board = new NoticeBoard();
    try (RpcServer server = RpcServer.create(Notices.class, board).connect(redis.uri());
        RpcClient<Notices> client = RpcClient.create(Notices.class).connect(redis.uri())) {
      client.proxy().post("hello");
      // Returned while the handler cannot have finished: it waits for the release below.
      assertThat(board.posted).isEmpty();
      assertThat(client.pendingCalls()).isZero();
      assertThat(board.started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      board.release.countDown();
      Awaitility.await().atMost(WAIT).until(() -> board.posted.contains("hello"));
    }
  }

  @Test
  void oneWayFutureCompletesWhenEnqueued(RedisProcess redis) throws Exception {
    NoticeBoard board = new NoticeBoard();
    try (RpcServer server = RpcServer.create(Notices.class, board).connect(redis.uri());
        RpcClient<Notices> client = RpcClient.create(Notices.class).connect(redis.uri())) {
      CompletableFuture<Void> sent = client.proxy().postLater("later");
      assertThat(sent.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isNull();
      assertThat(board.posted).isEmpty();
      board.release.countDown();
      Awaitility.await().atMost(WAIT).until(() -> board.posted.contains("later"));
    }
  }

  @Test
  void noReplyIsPublishedForAOneWayCall(RedisProcess redis) throws Exception {
    NoticeBoard board = new NoticeBoard();
    board.release.countDown();
    try (RpcServer server = RpcServer.create(Notices.class, board).connect(redis.uri());
        RpcClient<Notices> client = RpcClient.create(Notices.class).connect(redis.uri())) {
      client.proxy().post("quiet");
      client.proxy().fail("quietly");
      // The server acknowledges an entry after its reply would have left: once both are gone
      // from the stream, any reply was published before the answer to the next call.
      Awaitility.await()
          .atMost(WAIT)
          .until(() -> server.stats().calls() == 2 && server.inFlight() == 0);
      assertThat(client.proxy().seen()).containsExactly("quiet");
      assertThat(client.droppedReplies()).as("replies to calls nobody waits for").isZero();
    }
  }

  @Test
  void oneWayHandlerErrorIsCountedOnTheServer(RedisProcess redis) {
    NoticeBoard board = new NoticeBoard();
    try (RpcServer server = RpcServer.create(Notices.class, board).connect(redis.uri());
        RpcClient<Notices> client = RpcClient.create(Notices.class).connect(redis.uri())) {
      client.proxy().fail("this");
      Awaitility.await()
          .atMost(WAIT)
          .until(() -> server.stats().endpoint("fail").orElseThrow().errorCount() == 1);
      EndpointStats stats = server.stats().endpoint("fail").orElseThrow();
      assertThat(stats.calls()).isEqualTo(1);
      assertThat(stats.errors()).containsEntry(StatusCode.FAILED_PRECONDITION, 1L);
      assertThat(stats.lastError()).hasValueSatisfying(e -> assertThat(e).contains("cannot post"));
      assertThat(server.stats().errorCount()).isEqualTo(1);
    }
  }

  @Test
  void oneWayCallWithoutALiveServerFailsAtOnce(RedisProcess redis) {
    try (RpcClient<Notices> client = RpcClient.create(Notices.class).connect(redis.uri())) {
      assertThatThrownBy(() -> client.proxy().post("nobody"))
          .isInstanceOf(NotConnectedException.class);
      assertThatThrownBy(() -> client.proxy().postLater("nobody").join())
          .cause()
          .isInstanceOf(NotConnectedException.class);
    }
  }

  @Test
  void oneWayEndpointWithAResultFailsAtCreationNamingTheMethod() {
    String message =
        "One-way endpoint Broken.answer must return void or a future of Void, not"
            + " java.lang.String";
    assertThatThrownBy(() -> RpcClient.create(Broken.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThatThrownBy(() -> RpcServer.create(Broken.class, () -> "42"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThatThrownBy(() -> RpcClient.create(BrokenLater.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "One-way endpoint BrokenLater.answer must return void or a future of Void, not"
                + " java.util.concurrent.CompletableFuture<java.lang.Integer>");
  }

  @Test
  void oneWayEndpointIsRefusedOverAioredis() {
    assertThatThrownBy(
            () -> RpcClient.builder(Notices.class).protocol(Protocol.aioredisRpc()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "One-way endpoint Notices.postLater cannot be called over aioredis-rpc, which has no"
                + " one-way calls");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
