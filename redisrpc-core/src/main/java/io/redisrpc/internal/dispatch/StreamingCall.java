package io.redisrpc.internal.dispatch;

import io.netty.util.Timeout;
import io.redisrpc.RpcException;
import io.redisrpc.StatusCode;
import io.redisrpc.internal.Timers;
import io.redisrpc.internal.codec.ErrorBody;
import io.redisrpc.internal.codec.IncomingRequest;
import io.redisrpc.internal.codec.MethodCodec;
import io.redisrpc.internal.codec.WireCodec;
import io.redisrpc.internal.proxy.MethodModel;
import io.redisrpc.internal.stats.CallStats;
import io.redisrpc.internal.transport.ServerTransport;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream on the server (docs/PROTOCOL.md, section 21): subscribes to the publisher the handler
 * returned, requests from it only the items its caller granted, sends each item with its sequence
 * number, a keep-alive while it has nothing else to send, and at last the end or the error; then
 * acknowledges the entry and frees its slot. The caller's cancellation and the deadline cancel the
 * handler's subscription.
 */
final class StreamingCall implements Flow.Subscriber<@Nullable Object> {
  private static final Logger log = LoggerFactory.getLogger(StreamingCall.class);

  private final ServerTransport transport;
  private final Executor executor;
  private final String entryId;
  private final WireCodec codec;
  private final IncomingRequest request;
  private final MethodCodec method;
  private final long deadlineMillis;
  private final CallStats stats;
  private final Runnable onEnd;

  // Guarded by this: the order in which messages are handed to the transport is their order.
  private long granted;
  private long requested;
  private long seq;
  private boolean ended;
  private long lastSentNanos;
  private Flow.@Nullable Subscription subscription;
  private @Nullable Timeout deadlineTimer;
  private @Nullable Timeout keepAliveTimer;

  // Signals to the handler's subscription, which must be serial, leave through one drain.
  private final AtomicLong toRequest = new AtomicLong();
  private final AtomicInteger signals = new AtomicInteger();
  private volatile boolean cancelUpstream;

  StreamingCall(
      ServerTransport transport,
      Executor executor,
      String entryId,
      WireCodec codec,
      IncomingRequest request,
      MethodCodec method,
      long deadlineMillis,
      long credits,
      CallStats stats,
      Runnable onEnd) {
    this.transport = transport;
    this.executor = executor;
    this.entryId = entryId;
    this.codec = codec;
    this.request = request;
    this.method = method;
    this.deadlineMillis = deadlineMillis;
    this.granted = credits;
    this.stats = stats;
    this.onEnd = onEnd;
  }

  /**
   * Why {@code request} cannot run {@code method}: a stream opened for an endpoint of one result,
   * or the other way round, or a stream with an idempotency key; null when it can.
   */
  static @Nullable RpcException mismatch(MethodModel method, IncomingRequest request) {
    if (method.streaming() != request.streaming()) {
      return new RpcException(
          StatusCode.FAILED_PRECONDITION,
          method.streaming()
              ? method.qualifiedName() + " returns a stream: the request opened none"
              : method.qualifiedName() + " returns one result: the request opened a stream");
    }
    if (method.streaming() && request.idempotencyKey() != null) {
      return new RpcException(
          StatusCode.INVALID_ARGUMENT,
          "Streams are never run twice, and take no idempotency key: " + method.qualifiedName());
    }
    return null;
  }

  /**
   * Tells the caller the stream runs, and arms the deadline ({@code remainingMillis}, or none when
   * negative) and the keep-alives.
   */
  void open(long remainingMillis) {
    synchronized (this) {
      sendKeepAlive();
      if (remainingMillis >= 0) {
        deadlineTimer =
            Timers.schedule(
                expired ->
                    fail(
                        new RpcException(
                            StatusCode.DEADLINE_EXCEEDED,
                            "The deadline of "
                                + model().qualifiedName()
                                + " passed while it streamed; the server cancelled it"),
                        true),
                remainingMillis,
                TimeUnit.MILLISECONDS);
      }
      scheduleKeepAlive();
    }
  }

  /** Streams the publisher the handler's {@code result} holds, or its failure. */
  void start(CompletionStage<@Nullable Object> result) {
    result.whenComplete(
        (returned, error) -> {
          if (error != null) {
            fail(error, false);
          } else if (!(returned instanceof Flow.Publisher<?>)) {
            fail(
                new RpcException(
                    StatusCode.INTERNAL, model().qualifiedName() + " returned no stream"),
                false);
          } else {
            @SuppressWarnings("unchecked")
            Flow.Publisher<@Nullable Object> items = (Flow.Publisher<@Nullable Object>) returned;
            // Subscribing may do the handler's work: never on the Redis thread that read it.
            executor.execute(
                () -> {
                  try {
                    items.subscribe(this);
                  } catch (RuntimeException e) {
                    fail(e, false);
                  }
                });
          }
        });
  }

  /** The caller grants {@code total} items in all. */
  void grant(long total) {
    long more;
    synchronized (this) {
      if (total <= granted) {
        return;
      }
      granted = total;
      more = claimRequest();
    }
    request(more);
  }

  /** The caller gave up: the handler's subscription is cancelled. */
  void cancelByCaller() {
    fail(
        new RpcException(
            StatusCode.CANCELLED, model().qualifiedName() + " was cancelled by its caller"),
        true);
  }

  /**
   * The server is closing: the handler's subscription is cancelled, and the stream ends with {@code
   * UNAVAILABLE}, which the caller may try again elsewhere.
   */
  void close() {
    fail(
        new RpcException(
            StatusCode.UNAVAILABLE,
            "The server streaming "
                + model().qualifiedName()
                + " is closing: the stream ended before its end"),
        true);
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    long more;
    synchronized (this) {
      if (subscription != null || ended) {
        s.cancel();
        return;
      }
      subscription = s;
      more = claimRequest();
    }
    request(more);
  }

  @Override
  public void onNext(@Nullable Object item) {
    synchronized (this) {
      if (ended) {
        return;
      }
      byte[] message;
      try {
        message = codec.encodeStreamItem(request.id(), seq, method, item);
      } catch (Exception e) {
        // Unlocked below: fail takes the lock itself.
        message = null;
        executor.execute(
            () ->
                fail(
                    new RpcException(
                        StatusCode.INTERNAL,
                        "Cannot encode an item of "
                            + model().qualifiedName()
                            + ": "
                            + e.getMessage()),
                    true));
      }
      if (message != null) {
        send(seq++, message);
      }
    }
  }

  @Override
  public void onError(Throwable error) {
    fail(error, false);
  }

  @Override
  public void onComplete() {
    byte[] end;
    synchronized (this) {
      if (!endOnce()) {
        return;
      }
      end = codec.encodeStreamEnd(request.id(), seq);
      stats.finished(entryId, null, null);
      finish(send(seq++, end));
    }
  }

  /**
   * Ends the stream with {@code error}, cancelling the handler's subscription if {@code cancel}.
   */
  private void fail(Throwable error, boolean cancel) {
    synchronized (this) {
      if (!endOnce()) {
        return;
      }
      ErrorBody body = Errors.toBody(error, model());
      if (body.code().equals(StatusCode.UNKNOWN.name())
          || body.code().equals(StatusCode.INTERNAL.name())) {
        log.debug("{} failed", model().qualifiedName(), Errors.unwrap(error));
      }
      stats.finished(entryId, body.code(), body.message());
      long n = seq++;
      finish(send(n, codec.encodeError(request.id(), n, body)));
    }
    if (cancel) {
      cancelUpstream = true;
      drain();
    }
  }

  /** Marks the stream ended, the first time only; under the lock. */
  private boolean endOnce() {
    if (ended) {
      return false;
    }
    ended = true;
    if (deadlineTimer != null) {
      deadlineTimer.cancel();
    }
    if (keepAliveTimer != null) {
      keepAliveTimer.cancel();
    }
    return true;
  }

  /** Once the last message is out, acknowledges the entry, then frees its slot. */
  private void finish(CompletionStage<Boolean> last) {
    last.whenComplete(
        (delivered, error) ->
            transport
                .acknowledge(entryId)
                .whenComplete(
                    (ok, ackError) -> {
                      onEnd.run();
                      transport.finished(entryId);
                    }));
  }

  /**
   * Hands message {@code n} of the stream to the transport; under the lock. Parked (the caller's
   * subscription being restored), each message keeps a field of its own, so none replaces another.
   */
  private CompletionStage<Boolean> send(long n, byte[] message) {
    lastSentNanos = System.nanoTime();
    return transport.reply(
        request.replyTo(), request.id() + "#" + n, message, deadlineMillis, true);
  }

  private void sendKeepAlive() {
    lastSentNanos = System.nanoTime();
    transport.reply(
        request.replyTo(),
        request.id() + "#k",
        codec.encodeKeepAlive(request.id()),
        deadlineMillis,
        true);
  }

  private void scheduleKeepAlive() {
    keepAliveTimer =
        Timers.schedule(
            tick -> {
              synchronized (this) {
                if (ended) {
                  return;
                }
                long idle = System.nanoTime() - lastSentNanos;
                if (idle >= TimeUnit.MILLISECONDS.toNanos(WireCodec.KEEPALIVE_MILLIS / 2)) {
                  sendKeepAlive();
                }
                scheduleKeepAlive();
              }
            },
            WireCodec.KEEPALIVE_MILLIS,
            TimeUnit.MILLISECONDS);
  }

  /** The items granted and not yet requested from the handler, now requested; under the lock. */
  private long claimRequest() {
    if (subscription == null || ended || granted <= requested) {
      return 0;
    }
    long more = granted - requested;
    requested = granted;
    return more;
  }

  private void request(long more) {
    if (more > 0) {
      toRequest.addAndGet(more);
      drain();
    }
  }

  /**
   * Passes requests and the cancellation to the handler's subscription one at a time, on the
   * handler's executor: a publisher may produce its items on the thread that requests them.
   */
  private void drain() {
    if (signals.getAndIncrement() == 0) {
      executor.execute(this::drainSignals);
    }
  }

  private void drainSignals() {
    int missed = 1;
    do {
      Flow.Subscription s;
      synchronized (this) {
        s = subscription;
      }
      if (s != null) {
        try {
          if (cancelUpstream) {
            toRequest.set(0);
            s.cancel();
          } else {
            long n = toRequest.getAndSet(0);
            if (n > 0) {
              s.request(n);
            }
          }
        } catch (RuntimeException e) {
          fail(e, true);
        }
      }
      missed = signals.addAndGet(-missed);
    } while (missed != 0);
  }

  private MethodModel model() {
    return method.model();
  }
}
