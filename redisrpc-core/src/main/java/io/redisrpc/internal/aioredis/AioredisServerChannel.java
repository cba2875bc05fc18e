package io.redisrpc.internal.aioredis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.redisrpc.Deadline;
import io.redisrpc.Interceptor;
import io.redisrpc.Metadata;
import io.redisrpc.Protocol;
import io.redisrpc.RemoteException;
import io.redisrpc.RpcCall;
import io.redisrpc.internal.InterceptorChain;
import io.redisrpc.internal.connection.RedisLink;
import io.redisrpc.internal.connection.Subscriber;
import io.redisrpc.internal.dispatch.Errors;
import io.redisrpc.internal.dispatch.HandlerInvoker;
import io.redisrpc.internal.proxy.ServiceModel;
import io.redisrpc.internal.transport.ServerChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server end of aioredis-rpc: subscribes to the queue channel, runs every request it receives
 * (as every subscribed server does) and publishes the reply on the request's {@code reply_to}.
 * Exceptions become the seed's error map; unlike a Python server, a request for an unknown method
 * is answered with an error ({@code NotImplementedError}) rather than left to time out.
 *
 * <p>Requests arrive on Redis' I/O thread and wait in a backlog, in arrival order; at most {@code
 * maxConcurrency} run at once on the executor, so a later request may start, and finish, before an
 * earlier one. With {@link Protocol#isInArrivalOrder()} the limit is one, which runs the requests
 * one at a time in arrival order, as a Python server does: the pub/sub connection delivers messages
 * on one thread, in the order Redis published them, into the FIFO backlog; a request takes the only
 * slot from the head of the backlog, and gives it back (exactly once, see {@link Slot}) only after
 * its handler's result, a future included, has completed and the reply's PUBLISH has, or after the
 * request was dropped. Nothing waits on Redis' I/O threads: the next request is handed to the
 * executor from whichever thread gave the slot back.
 *
 * <p>Replies only go to channels named {@code rpc_client.*}, the reply channels of the seed's
 * clients, never to an arbitrary channel a message names.
 */
public final class AioredisServerChannel implements ServerChannel {
  private static final Logger log = LoggerFactory.getLogger(AioredisServerChannel.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** The seed has no deadlines: a handler's own calls only get their client's timeout. */
  private static final Duration NO_DEADLINE = Duration.ofDays(365);

  /** Requests waiting beyond this many are dropped (at-most-once): pub/sub cannot push back. */
  private static final int MAX_BACKLOG = 100_000;

  private final ServiceModel model;
  private final AioredisCodec codec;
  private final String queue;
  private final List<Interceptor> interceptors;
  private final Executor executor;
  private final int maxConcurrency;
  private final int maxMessageBytes;
  private final Map<AioredisMethod, HandlerInvoker> handlers = new HashMap<>();
  private final ConcurrentLinkedQueue<byte[]> backlog = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicLong rejected = new AtomicLong();
  private final Object drained = new Object();

  private final Subscriber requests = this::onMessage;
  private @Nullable RedisLink link;
  private volatile @Nullable RedisClusterAsyncCommands<String, byte[]> commands;
  private volatile boolean serving;

  /**
   * A server of {@code implementation} on the queue of {@code protocol}, not yet connected; one
   * request at a time when the protocol is {@linkplain Protocol#isInArrivalOrder() in arrival
   * order}, else up to {@code maxConcurrency}.
   *
   * @throws IllegalArgumentException when {@code protocol} is not aioredis-rpc
   */
  public AioredisServerChannel(
      ServiceModel model,
      Object implementation,
      List<Interceptor> interceptors,
      Executor executor,
      int maxConcurrency,
      int maxMessageBytes,
      Protocol protocol) {
    this.model = model;
    this.codec = AioredisCodec.of(model);
    this.queue =
        protocol
            .queueName()
            .orElseThrow(() -> new IllegalArgumentException(protocol + " is not aioredis-rpc"));
    this.interceptors = List.copyOf(interceptors);
    this.executor = executor;
    this.maxConcurrency = protocol.isInArrivalOrder() ? 1 : maxConcurrency;
    this.maxMessageBytes = maxMessageBytes;
    for (AioredisMethod method : codec.methods()) {
      handlers.put(method, new HandlerInvoker(method.model(), implementation));
    }
  }

  @Override
  public synchronized void connect(RedisLink link) {
    if (serving) {
      throw new IllegalStateException("already connected");
    }
    refuseSharded(link);
    RedisClusterAsyncCommands<String, byte[]> cmd = link.commands();
    this.link = link;
    this.commands = cmd;
    serving = true;
    try {
      link.awaitSubscription(
          link.subscriptions().subscribe(queue, requests), queue, CONNECT_TIMEOUT);
    } catch (RuntimeException e) {
      leave();
      throw e;
    }
  }

  /**
   * The aioredis-rpc protocol publishes on classic channels, which a Redis Cluster copies to every
   * node: it is not offered there.
   */
  static void refuseSharded(RedisLink link) {
    if (link.sharded()) {
      throw new IllegalArgumentException(
          "The aioredis-rpc protocol needs one Redis node or a Sentinel set, not a Redis Cluster ("
              + link.target().text()
              + "): use Protocol.NATIVE there");
    }
  }

  private void leave() {
    serving = false;
    RedisLink l = link;
    link = null;
    commands = null;
    if (l != null) {
      l.subscriptions().unsubscribe(queue, requests);
    }
  }

  /** On Redis' I/O thread: queue the request, start what the concurrency limit allows. */
  private void onMessage(byte[] payload) {
    if (!serving) {
      return;
    }
    if (payload.length > maxMessageBytes) {
      reject("its " + payload.length + " bytes are over the limit of " + maxMessageBytes);
      return;
    }
    if (queued.incrementAndGet() > MAX_BACKLOG) {
      queued.decrementAndGet();
      reject("the backlog of " + MAX_BACKLOG + " requests is full");
      return;
    }
    backlog.add(payload);
    drain();
  }

  private void drain() {
    while (true) {
      int n = running.get();
      if (n >= maxConcurrency || backlog.isEmpty()) {
        return;
      }
      if (!running.compareAndSet(n, n + 1)) {
        continue;
      }
      byte[] next = backlog.poll();
      if (next == null) {
        // Lost the race for the last request; look again, another may have come meanwhile.
        running.decrementAndGet();
        signalIfDrained();
        continue;
      }
      queued.decrementAndGet();
      Slot slot = new Slot();
      try {
        executor.execute(() -> run(next, slot));
      } catch (RejectedExecutionException e) {
        log.warn("Request of {} dropped: the executor refused it", model.name());
        rejected.incrementAndGet();
        slot.release();
      }
    }
  }

  /**
   * A request's hold on one of the {@code maxConcurrency} slots. Given back once whatever path the
   * request takes: a slot lost would lower the limit for good, and stop a queue kept in arrival
   * order.
   */
  private final class Slot {
    private final AtomicBoolean held = new AtomicBoolean(true);

    void release() {
      if (held.compareAndSet(true, false)) {
        finished();
      }
    }
  }

  /** On the executor: handles a request; whatever escapes still gives its slot back. */
  private void run(byte[] payload, Slot slot) {
    try {
      handle(payload, slot);
    } catch (RuntimeException | Error e) {
      log.error("A request of {} on {} failed unanswered", model.name(), queue, e);
      slot.release();
      if (e instanceof Error) {
        throw e;
      }
    }
  }

  private void finished() {
    running.decrementAndGet();
    drain();
    signalIfDrained();
  }

  private void signalIfDrained() {
    if (!serving && running.get() == 0 && queued.get() == 0) {
      synchronized (drained) {
        drained.notifyAll();
      }
    }
  }

  private void handle(byte[] payload, Slot slot) {
    AioredisCodec.Request request;
    try {
      request = codec.decodeRequest(payload);
    } catch (BadMessageException | RuntimeException e) {
      reject(e.getMessage());
      slot.release();
      return;
    }
    String replyTo = request.replyTo();
    if (replyTo == null
        || replyTo.length() <= AioredisClientChannel.REPLY_CHANNEL_PREFIX.length()
        || !replyTo.startsWith(AioredisClientChannel.REPLY_CHANNEL_PREFIX)) {
      // A reply on the queue, or a request asking to publish somewhere else: nobody to answer.
      reject("its reply_to " + replyTo + " is not a client reply channel (rpc_client.*)");
      slot.release();
      return;
    }
    AioredisMethod method = request.method();
    if (request.failure() != null || method == null || request.arguments() == null) {
      RemoteError failure =
          request.failure() != null
              ? request.failure()
              : new RemoteError("no arguments", AioredisCodec.TYPE_ERROR);
      publish(replyTo, codec.encodeError(request.id(), request.name(), failure), slot);
      return;
    }
    RpcCall call =
        RpcCall.create(
            model.name(),
            method.model().name(),
            Arrays.asList(request.arguments()),
            Metadata.empty(),
            Deadline.after(NO_DEADLINE));
    HandlerInvoker handler = handlers.get(method);
    CompletionStage<@Nullable Object> result;
    try {
      result = InterceptorChain.run(interceptors, call, handler::invoke);
    } catch (RuntimeException | Error e) {
      // Interceptors may throw what handlers may (HandlerInvoker answers any Throwable of theirs).
      result = CompletableFuture.failedFuture(e);
    }
    result.whenComplete(
        (value, error) -> {
          try {
            reply(request, method, replyTo, value, error, slot);
          } catch (RuntimeException | Error e) {
            // whenComplete would swallow it, and the slot with it.
            log.error("Reply of {}.{} failed", model.name(), method.wireName(), e);
            slot.release();
          }
        });
  }

  private void reply(
      AioredisCodec.Request request,
      AioredisMethod method,
      String replyTo,
      @Nullable Object value,
      @Nullable Throwable error,
      Slot slot) {
    byte[] payload;
    if (error == null) {
      try {
        payload = codec.encodeResult(request.id(), method, value);
      } catch (Exception e) {
        payload =
            codec.encodeError(
                request.id(),
                request.name(),
                new RemoteError(
                    "cannot encode the result of " + method.wireName() + ": " + e.getMessage(),
                    AioredisCodec.TYPE_ERROR));
      }
    } else {
      Throwable e = Errors.unwrap(error);
      log.debug("{}.{} failed", model.name(), method.wireName(), e);
      payload = codec.encodeError(request.id(), request.name(), errorOf(e));
    }
    publish(replyTo, payload, slot);
  }

  /** The seed's error map of an exception: {@code str(e)} and {@code type(e).__name__}. */
  static RemoteError errorOf(Throwable e) {
    if (e instanceof RemoteException) {
      // A nested call failed: pass its origin on rather than blame ourselves.
      RemoteException remote = (RemoteException) e;
      return new RemoteError(
          remote.remoteMessage(), simpleName(remote.remoteType().orElse("RemoteException")));
    }
    String name = e.getClass().getSimpleName();
    return new RemoteError(
        e.getMessage() == null ? "" : e.getMessage(),
        name.isEmpty() ? e.getClass().getName() : name);
  }

  private static String simpleName(String className) {
    int cut = Math.max(className.lastIndexOf('.'), className.lastIndexOf('$'));
    return className.substring(cut + 1);
  }

  private void publish(String channel, byte[] payload, Slot slot) {
    RedisClusterAsyncCommands<String, byte[]> cmd = commands;
    if (cmd == null) {
      slot.release();
      return;
    }
    cmd.publish(channel, payload)
        .whenComplete(
            (receivers, error) -> {
              if (error != null) {
                log.warn(
                    "Reply of {} on {} was not published: {}",
                    model.name(),
                    channel,
                    error.getMessage());
              } else if (receivers == null || receivers == 0) {
                log.debug("A client of {} left before its reply on {}", model.name(), channel);
              }
              slot.release();
            });
  }

  private void reject(@Nullable String why) {
    long count = rejected.incrementAndGet();
    if (count == 1) {
      log.warn("Rejected a message on {} for {}: {}", queue, model.name(), why);
    } else {
      log.debug("Rejected a message on {} for {} ({} so far): {}", queue, model.name(), count, why);
    }
  }

  @Override
  public boolean shutdown(Duration timeout) {
    RedisLink l;
    synchronized (this) {
      if (!serving) {
        return true;
      }
      serving = false;
      l = link;
    }
    if (l != null) {
      // Messages still arriving are ignored: serving is false.
      l.subscriptions().unsubscribe(queue, requests);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean complete;
    synchronized (drained) {
      while (running.get() > 0 || queued.get() > 0) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          break;
        }
        try {
          drained.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      complete = running.get() == 0 && queued.get() == 0;
    }
    if (!complete) {
      log.warn(
          "{} calls of {} still running after {}; closing anyway",
          inFlight(),
          model.name(),
          timeout);
    }
    synchronized (this) {
      link = null;
      commands = null;
    }
    return complete;
  }

  @Override
  public int inFlight() {
    return running.get() + queued.get();
  }

  @Override
  public boolean isRunning() {
    return serving;
  }

  @Override
  public long rejectedMessages() {
    return rejected.get();
  }
}
