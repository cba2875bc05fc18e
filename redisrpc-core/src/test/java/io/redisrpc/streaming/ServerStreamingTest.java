package io.redisrpc.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisrpc.DeadlineExceededException;
import io.redisrpc.Endpoint;
import io.redisrpc.Protocol;
import io.redisrpc.RemoteException;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcRegistry;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.StatusCode;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Server streaming: items in order with the caller's credits, its cancellation, errors, deadlines.
 */
@WithRedis
class ServerStreamingTest {
  private static final KeptTickers impl = new KeptTickers();
  private static RpcServer server;
  private static RpcClient<Ticks> client;
  private static String uri;

  @BeforeAll
  static void start(RedisProcess redis) {
    uri = redis.uri();
    server = RpcServer.create(Ticks.class, (Ticks) impl).connect(redis.uri());
    client = RpcClient.create(Ticks.class).connect(redis.uri());
  }

  @BeforeEach
  void forgetEarlierHandlers() {
    impl.made.clear();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @Test
  void streamDeliversItemsInOrderThenCompletes() throws Exception {
    Collector<Integer> caller = new Collector<>(Long.MAX_VALUE);
    client.proxy().count(1000).subscribe(caller);

    assertThat(caller.awaitEnd(30)).as("completed").isNull();
    List<Integer> expected = new ArrayList<>();
    IntStream.range(0, 1000).forEach(expected::add);
    assertThat(caller.items).containsExactlyElementsOf(expected);
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> client.pendingCalls() == 0);
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> server.inFlight() == 0);
  }

  @Test
  void anEmptyStreamCompletes() throws Exception {
    Collector<Integer> caller = new Collector<>(1);
    client.proxy().count(0).subscribe(caller);

    assertThat(caller.awaitEnd(10)).isNull();
    assertThat(caller.items).isEmpty();
  }

  @Test
  void serverProducesNoMoreThanTheCallerRequested() throws Exception {
    Collector<Integer> caller = new Collector<>(3);
    client.proxy().endless().subscribe(caller);
    Ticker handler = impl.next();

    assertThat(List.of(caller.next(), caller.next(), caller.next())).containsExactly(0, 1, 2);
    assertThat(handler.requested.get()).as("requested of the handler").isEqualTo(3);

    caller.request(2);
    assertThat(List.of(caller.next(), caller.next())).containsExactly(3, 4);
    assertThat(handler.requested.get()).as("requested of the handler").isEqualTo(5);
    assertThat(caller.items).as("the caller got what it asked for, no more").hasSize(5);

    caller.cancel();
  }

  @Test
  void anUnboundedCallerStillHasTheServerWaitForCredits() throws Exception {
    // A caller that takes everything gets it in windows: the handler is never asked for all.
    Collector<Integer> caller = new Collector<>(Long.MAX_VALUE);
    client.proxy().endless().subscribe(caller);
    Ticker handler = impl.next();
    for (int i = 0; i < 1000; i++) {
      assertThat(caller.next()).isEqualTo(i);
    }
    caller.cancel();
    assertThat(handler.cancelled.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(handler.requested.get()).isLessThan(2000);
  }

  @Test
  void callerCancellationCancelsTheHandler() throws Exception {
    Collector<Integer> caller = new Collector<>(1);
    client.proxy().endless().subscribe(caller);
    Ticker handler = impl.next();
    assertThat(caller.next()).isZero();

    caller.cancel();

    assertThat(handler.cancelled.await(10, TimeUnit.SECONDS))
        .as("the handler's subscription was cancelled")
        .isTrue();
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> client.pendingCalls() == 0);
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> server.inFlight() == 0);
    assertThat(caller.end).as("a cancelled subscriber hears nothing more").isNotDone();
  }

  @Test
  void errorMidStreamEndsTheCallersStreamWithIt() throws Exception {
    Collector<Integer> caller = new Collector<>(Long.MAX_VALUE);
    client.proxy().failAfter(3, "the well ran dry").subscribe(caller);

    Throwable error = caller.awaitEnd(10);
    assertThat(caller.items).containsExactly(0, 1, 2);
    assertThat(error).isInstanceOf(RemoteException.class);
    RemoteException remote = (RemoteException) error;
    assertThat(remote.code()).isEqualTo(StatusCode.FAILED_PRECONDITION);
    assertThat(remote.remoteMessage()).isEqualTo("the well ran dry");
    assertThat(remote.remoteType()).contains(IllegalStateException.class.getName());
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> server.inFlight() == 0);
  }

  @Test
  void streamEndsWithDeadlineExceededAtItsDeadline() throws Exception {
    Collector<Integer> caller = new Collector<>(10);
    long start = System.nanoTime();
    client.proxy().silent().subscribe(caller);
    Ticker handler = impl.next();

    Throwable error = caller.awaitEnd(30);
    assertThat(error).isInstanceOf(DeadlineExceededException.class);
    assertThat(System.nanoTime() - start)
        .as("not before the deadline")
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(700));
    assertThat(handler.cancelled.await(10, TimeUnit.SECONDS))
        .as("the server stopped the handler")
        .isTrue();
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> server.inFlight() == 0);
  }

  @Test
  void eachSubscriptionOpensTheStreamAnew() throws Exception {
    Flow.Publisher<Integer> three = client.proxy().count(3);
    for (int i = 0; i < 2; i++) {
      Collector<Integer> caller = new Collector<>(Long.MAX_VALUE);
      three.subscribe(caller);
      assertThat(caller.awaitEnd(10)).isNull();
      assertThat(caller.items).containsExactly(0, 1, 2);
    }
  }

  /** A stream that would be run again after its server died: refused when built. */
  @RpcService("Retried")
  public interface RetriedStream {
    @Endpoint(idempotent = true)
    Flow.Publisher<Integer> numbers();
  }

  @Test
  void aStreamingEndpointCannotBeIdempotent() {
    assertThatThrownBy(() -> RpcClient.create(RetriedStream.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RetriedStream.numbers cannot be idempotent");
  }

  @Test
  void theAioredisProtocolRefusesStreamsWhenBuilt() {
    assertThatThrownBy(
            () -> RpcClient.builder(Ticks.class).protocol(Protocol.aioredisRpc()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Ticks.count returns a stream, which aioredis-rpc cannot carry");
  }

  /** {@link Ticks} as a caller that expects one result. */
  @RpcService("Ticks")
  public interface UnaryTicks {
    @Endpoint
    List<Integer> count(int count);
  }

  @Test
  void aCallOfOneResultToAStreamingEndpointIsRefused() {
    try (RpcClient<UnaryTicks> unary = RpcClient.create(UnaryTicks.class).connect(uri)) {
      assertThatThrownBy(() -> unary.proxy().count(3))
          .isInstanceOf(RemoteException.class)
          .hasMessageContaining("Ticks.count returns a stream: the request opened none")
          .satisfies(
              e ->
                  assertThat(((RemoteException) e).code())
                      .isEqualTo(StatusCode.FAILED_PRECONDITION));
    }
    assertThat(impl.made).as("the handler did not run").isEmpty();
  }

  @Test
  void theDescriptorSaysWhichEndpointsStream() throws Exception {
    try (RpcRegistry registry = RpcRegistry.connect(uri)) {
      JsonNode descriptor = new ObjectMapper().readTree(registry.descriptor("Ticks").orElseThrow());
      JsonNode count = null;
      for (JsonNode endpoint : descriptor.get("endpoints")) {
        if (endpoint.get("name").asText().equals("count")) {
          count = endpoint;
        }
      }
      assertThat(count).isNotNull();
      assertThat(count.get("streaming").asBoolean()).isTrue();
      assertThat(count.get("result").get("type").asText()).isEqualTo("integer");
    }
  }

  /** A stream that could say nothing but its end. */
  @RpcService("Nothing")
  public interface NothingStream {
    @Endpoint
    Flow.Publisher<Void> nothing();
  }

  @Test
  void aStreamOfVoidIsRefusedWhenBuilt() {
    assertThatThrownBy(() -> RpcClient.create(NothingStream.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a stream of Void has no items");
  }
}
