package io.redisrpc.aioredis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.redisrpc.Endpoint;
import io.redisrpc.Protocol;
import io.redisrpc.RemoteException;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The order in which a Java server of the aioredis-rpc protocol runs a queue's calls: concurrently
 * by default, one at a time in arrival order with {@link Protocol#inArrivalOrder()}, as a Python
 * server does. Handlers are driven by the test through futures and latches, never by sleeping, so
 * that only what is guaranteed is asserted, however loaded the machine.
 */
@WithRedis
class AioredisArrivalOrderTest {
  /** The bound of every wait; reached only when something is broken. */
  static final Duration WAIT = Duration.ofSeconds(30);

  static final int CALLS = 20;

  /** A service whose calls finish when the test says so. */
  @RpcService("Steps")
  public interface Steps {
    @Endpoint
    CompletableFuture<Integer> step(int index);
  }

  /** The same endpoint served by a blocking handler. */
  @RpcService("Steps")
  public interface BlockingSteps {
    @Endpoint
    int step(int index);
  }

  /** A call a handler has started and not finished: the test completes {@code reply}. */
  record Started(int index, CompletableFuture<Integer> reply) {}

  /** Parks every call it starts in {@link #started}, and records when calls start and end. */
  static final class ParkingSteps implements Steps {
    final BlockingQueue<Started> started = new LinkedBlockingQueue<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostRunning = new AtomicInteger();

    @Override
    public CompletableFuture<Integer> step(int index) {
      mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
      events.add("start " + index);
      CompletableFuture<Integer> reply = new CompletableFuture<>();
      started.add(new Started(index, reply));
      return reply;
    }

    /** Ends {@code call}, as its handler's asynchronous work would. */
    void finish(Started call) {
      events.add("end " + call.index());
      running.decrementAndGet();
      call.reply().complete(call.index());
    }

    Started nextStarted() throws InterruptedException {
      Started call = started.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(call).as("a call started within %s", WAIT).isNotNull();
      return call;
    }
  }

  /** A blocking handler recording the order its calls start in and whether two ever overlap. */
  static final class RecordingSteps implements BlockingSteps {
    final List<Integer> order = new CopyOnWriteArrayList<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostRunning = new AtomicInteger();

    @Override
    public int step(int index) {
      mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        order.add(index);
        Thread.yield(); // gives a concurrently started call every chance to overlap
        return index;
      } finally {
        running.decrementAndGet();
      }
    }
  }

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private static String freshQueue() {
    return "queue_" + UUID.randomUUID();
  }

  private <T> RpcServer server(Class<T> type, T impl, Protocol protocol, RedisProcess redis) {
    RpcServer server = RpcServer.builder(type, impl).protocol(protocol).build();
    resources.add(server);
    return server.connect(redis.uri());
  }

  /** A client of the plain protocol: arrival order is the servers' business. */
  private Steps client(String queue, RedisProcess redis) {
    RpcClient<Steps> client =
        RpcClient.builder(Steps.class)
            .protocol(Protocol.aioredisRpc(queue))
            .timeout(WAIT.multipliedBy(2))
            .build();
    resources.add(client);
    return client.connect(redis.uri()).proxy();
  }

  /** Sends {@link #CALLS} calls back to back from this thread, without waiting for replies. */
  private static List<CompletableFuture<Integer>> sendBackToBack(Steps steps) {
    List<CompletableFuture<Integer>> replies = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      replies.add(steps.step(i));
    }
    return replies;
  }

  private static List<Integer> join(List<CompletableFuture<Integer>> replies) throws Exception {
    List<Integer> values = new ArrayList<>();
    for (CompletableFuture<Integer> reply : replies) {
      values.add(reply.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }
    return values;
  }

  private static List<Integer> upToCalls() {
    return IntStream.range(0, CALLS).boxed().toList();
  }

  // ------------------------------------------------------------------ the option

  @Test
  void arrivalOrderIsAnImmutableOptionOfTheAioredisProtocolOnly() {
    Protocol plain = Protocol.aioredisRpc("jobs");
    Protocol ordered = plain.inArrivalOrder();

    assertThat(plain.isInArrivalOrder()).isFalse();
    assertThat(Protocol.aioredisRpc().isInArrivalOrder()).isFalse();
    assertThat(Protocol.NATIVE.isInArrivalOrder()).isFalse();
    assertThat(ordered.isInArrivalOrder()).isTrue();
    assertThat(ordered.queueName()).contains("jobs");
    assertThat(ordered.name()).isEqualTo("aioredis-rpc");
    assertThat(ordered.isNative()).isFalse();
    assertThat(ordered).isNotEqualTo(plain);
    assertThat(ordered.inArrivalOrder()).isEqualTo(ordered);
    assertThat(ordered)
        .isEqualTo(Protocol.aioredisRpc("jobs").inArrivalOrder())
        .hasSameHashCodeAs(Protocol.aioredisRpc("jobs").inArrivalOrder());
    assertThat(ordered).hasToString("aioredis-rpc(jobs, in arrival order)");
    assertThat(plain).hasToString("aioredis-rpc(jobs)");
    assertThatThrownBy(Protocol.NATIVE::inArrivalOrder)
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageStartingWith("inArrivalOrder() applies to Protocol.aioredisRpc(...) only");
  }

  // ------------------------------------------------------------------ by default

  @Test
  void byDefaultALaterCallStartsAndMayFinishBeforeAnEarlierOne(RedisProcess redis)
      throws Exception {
    String queue = freshQueue();
    ParkingSteps handler = new ParkingSteps();
    server(Steps.class, handler, Protocol.aioredisRpc(queue), redis);
    List<CompletableFuture<Integer>> replies = sendBackToBack(client(queue, redis));

    // Every call starts although none has finished: they run at once, up to maxConcurrency.
    List<Started> started = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      started.add(handler.nextStarted());
    }
    assertThat(started).extracting(Started::index).containsExactlyInAnyOrderElementsOf(upToCalls());
    assertThat(handler.mostRunning.get()).isEqualTo(CALLS);

    // The last call sent finishes, and is answered, while the first still runs.
    Started last = started.stream().filter(s -> s.index() == CALLS - 1).findFirst().orElseThrow();
    handler.finish(last);
    assertThat(replies.get(CALLS - 1).get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
        .isEqualTo(CALLS - 1);
    assertThat(replies.get(0)).isNotDone();

    started.stream().filter(s -> s != last).forEach(handler::finish);
    assertThat(join(replies)).isEqualTo(upToCalls());
  }

  // ------------------------------------------------------------------ in arrival order

  @Test
  void callsRunOneAtATimeInArrivalOrderWhenAsked(RedisProcess redis) throws Exception {
    String queue = freshQueue();
    ParkingSteps handler = new ParkingSteps();
    Protocol ordered = Protocol.aioredisRpc(queue).inArrivalOrder();
    RpcServer server = server(Steps.class, handler, ordered, redis);
    assertThat(server.protocol()).isEqualTo(ordered);
    List<CompletableFuture<Integer>> replies = sendBackToBack(client(queue, redis));

    // All the calls have reached the server before the first one finishes.
    Started first = handler.nextStarted();
    await().atMost(WAIT).until(() -> server.inFlight() == CALLS);

    Started call = first;
    for (int i = 0; i < CALLS; i++) {
      assertThat(call.index()).as("the call started %d-th", i).isEqualTo(i);
      // Until it finishes, its asynchronous handler's future included, nothing else starts.
      assertThat(handler.started).isEmpty();
      assertThat(replies.get(i)).isNotDone();
      handler.finish(call);
      assertThat(replies.get(i).get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(i);
      if (i + 1 < CALLS) {
        call = handler.nextStarted();
      }
    }

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      expected.add("start " + i);
      expected.add("end " + i);
    }
    assertThat(handler.events).containsExactlyElementsOf(expected);
    assertThat(handler.mostRunning.get()).isOne();
    assertThat(join(replies)).isEqualTo(upToCalls());
    await().atMost(WAIT).until(() -> server.inFlight() == 0);
  }

  @Test
  void blockingHandlersRunOneAtATimeInArrivalOrderWhenAsked(RedisProcess redis) throws Exception {
    String queue = freshQueue();
    RecordingSteps handler = new RecordingSteps();
    server(BlockingSteps.class, handler, Protocol.aioredisRpc(queue).inArrivalOrder(), redis);

    assertThat(join(sendBackToBack(client(queue, redis)))).isEqualTo(upToCalls());
    assertThat(handler.order).isEqualTo(upToCalls());
    assertThat(handler.mostRunning.get()).isOne();
  }

  @Test
  void aCallThatFailsInArrivalOrderDoesNotHoldUpTheCallsBehindIt(RedisProcess redis)
      throws Exception {
    String queue = freshQueue();
    RecordingSteps handler = new RecordingSteps();
    RpcServer server =
        RpcServer.builder(BlockingSteps.class, handler)
            .protocol(Protocol.aioredisRpc(queue).inArrivalOrder())
            .addInterceptor(
                chain -> {
                  if (chain.call().arguments().get(0).equals(0)) {
                    // Not an Exception: escapes the interceptor chain as it is.
                    throw new AssertionError("interceptor broke on call 0");
                  }
                  if (chain.call().arguments().get(0).equals(1)) {
                    throw new IllegalStateException("interceptor refused call 1");
                  }
                  return chain.proceed(chain.call());
                })
            .build();
    resources.add(server);
    server.connect(redis.uri());
    List<CompletableFuture<Integer>> replies = sendBackToBack(client(queue, redis));

    assertThat(replies.get(0))
        .failsWithin(WAIT)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(
            RemoteException.class,
            e -> {
              assertThat(e.remoteType()).contains("AssertionError");
              assertThat(e.remoteMessage()).isEqualTo("interceptor broke on call 0");
            });
    assertThat(replies.get(1))
        .failsWithin(WAIT)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(
            RemoteException.class,
            e -> assertThat(e.remoteType()).contains("IllegalStateException"));
    assertThat(join(replies.subList(2, CALLS))).isEqualTo(upToCalls().subList(2, CALLS));
    assertThat(handler.order).isEqualTo(upToCalls().subList(2, CALLS));
  }

  // ------------------------------------------------------------------ several servers

  @Test
  void everyServerOnTheQueueRunsEveryCallEachInArrivalOrderWhenAsked(RedisProcess redis)
      throws Exception {
    String queue = freshQueue();
    RecordingSteps first = new RecordingSteps();
    RecordingSteps second = new RecordingSteps();
    server(BlockingSteps.class, first, Protocol.aioredisRpc(queue).inArrivalOrder(), redis);
    server(BlockingSteps.class, second, Protocol.aioredisRpc(queue).inArrivalOrder(), redis);

    // The caller takes the first reply of each call; both servers run all of them.
    assertThat(join(sendBackToBack(client(queue, redis)))).isEqualTo(upToCalls());
    await().atMost(WAIT).until(() -> first.order.size() == CALLS && second.order.size() == CALLS);
    assertThat(first.order).isEqualTo(upToCalls());
    assertThat(second.order).isEqualTo(upToCalls());
    assertThat(first.mostRunning.get()).isOne();
    assertThat(second.mostRunning.get()).isOne();
  }

  @Test
  void byDefaultEveryServerOnTheQueueRunsEveryCall(RedisProcess redis) throws Exception {
    String queue = freshQueue();
    RecordingSteps first = new RecordingSteps();
    RecordingSteps second = new RecordingSteps();
    server(BlockingSteps.class, first, Protocol.aioredisRpc(queue), redis);
    server(BlockingSteps.class, second, Protocol.aioredisRpc(queue), redis);

    assertThat(join(sendBackToBack(client(queue, redis)))).isEqualTo(upToCalls());
    await().atMost(WAIT).until(() -> first.order.size() == CALLS && second.order.size() == CALLS);
    assertThat(first.order).containsExactlyInAnyOrderElementsOf(upToCalls());
    assertThat(second.order).containsExactlyInAnyOrderElementsOf(upToCalls());
  }
}
