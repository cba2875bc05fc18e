package io.redisrpc.internal.transport;

import io.netty.util.Timeout;
import io.redisrpc.RpcException;
import io.redisrpc.StatusCode;
import io.redisrpc.internal.Timers;
import io.redisrpc.internal.codec.IncomingReply;
import io.redisrpc.internal.codec.MethodCodec;
import io.redisrpc.internal.codec.WireCodec;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The client end of one stream (docs/PROTOCOL.md, section 21): puts its messages back in the order
 * of their sequence numbers (parked ones come back in any order), hands the items to the caller,
 * ends the call at the end or the error, and fails it with {@code UNAVAILABLE} when its server has
 * sent nothing, not even a keep-alive, for {@link WireCodec#STREAM_SILENCE_MILLIS}: a server that
 * died mid-stream never truncates it silently.
 */
final class ClientStream implements StreamHandle {
  private final PendingCalls<MethodCodec>.Pending pending;
  private final StreamReceiver receiver;
  private final Function<IncomingReply, Throwable> errors;
  private final Consumer<Long> grants;
  // Not guarded by this: the caller grants holding a lock of its own, taken within this one.
  private final AtomicLong lastGrant = new AtomicLong();

  // Guarded by this.
  private final TreeMap<Long, IncomingReply> early = new TreeMap<>();
  private long next;
  private boolean heard;
  private long lastHeardNanos;
  private @Nullable Timeout silence;
  private boolean endedByServer;

  /**
   * The stream of call {@code pending}: {@code errors} turns an error message into the caller's
   * exception, {@code grants} publishes a credit grant.
   */
  ClientStream(
      PendingCalls<MethodCodec>.Pending pending,
      StreamReceiver receiver,
      Function<IncomingReply, Throwable> errors,
      Consumer<Long> grants) {
    this.pending = pending;
    this.receiver = receiver;
    this.errors = errors;
    this.grants = grants;
    pending.future.whenComplete(
        (value, error) -> {
          synchronized (this) {
            if (silence != null) {
              silence.cancel();
            }
            early.clear();
          }
        });
  }

  @Override
  public void grant(long total) {
    lastGrant.accumulateAndGet(total, Math::max);
    if (!pending.future.isDone()) {
      grants.accept(total);
    }
  }

  @Override
  public CompletableFuture<@Nullable Object> done() {
    return pending.future;
  }

  /** Whether the server ended the stream (end or error), rather than the client giving up. */
  synchronized boolean endedByServer() {
    return endedByServer;
  }

  /** A message of the stream, as it came: live or parked, in any order. */
  void onMessage(IncomingReply reply) {
    synchronized (this) {
      if (pending.future.isDone()) {
        return;
      }
      lastHeardNanos = System.nanoTime();
      if (!heard) {
        // The server took the call: from now on it speaks at least once a keep-alive interval.
        heard = true;
        watchSilence(WireCodec.STREAM_SILENCE_MILLIS);
      }
      if (reply.keepAlive()) {
        long granted = lastGrant.get();
        if (granted > next) {
          // Items are owed, and the server had nothing to send for a second: a grant published
          // while its subscription was down never reached it. Totals make sending it again safe.
          grants.accept(granted);
        }
        return;
      }
      if (reply.seq() < 0) {
        // Not a message of the stream: the server answered the call without running it.
        endedByServer = true;
        pending.fail(
            reply.error() != null
                ? errors.apply(reply)
                : new RpcException(StatusCode.INTERNAL, "A stream was answered with one result"));
        return;
      }
      if (reply.seq() < next) {
        return; // seen already
      }
      early.put(reply.seq(), reply);
      IncomingReply now;
      while ((now = early.remove(next)) != null) {
        next++;
        if (now.error() != null) {
          endedByServer = true;
          pending.fail(errors.apply(now));
          return;
        }
        if (now.end()) {
          endedByServer = true;
          pending.succeed(null);
          return;
        }
        receiver.onItem(now.result());
      }
    }
  }

  /** Under the lock. */
  private void watchSilence(long delayMillis) {
    silence =
        Timers.schedule(
            t -> {
              synchronized (this) {
                if (pending.future.isDone()) {
                  return;
                }
                long quiet = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastHeardNanos);
                if (quiet < WireCodec.STREAM_SILENCE_MILLIS) {
                  watchSilence(WireCodec.STREAM_SILENCE_MILLIS - quiet);
                  return;
                }
              }
              pending.fail(
                  new RpcException(
                      StatusCode.UNAVAILABLE,
                      "The server streaming "
                          + pending.method.model().qualifiedName()
                          + " has sent nothing for "
                          + WireCodec.STREAM_SILENCE_MILLIS
                          + " ms: it is gone or cut off, and the stream ended before its end"));
            },
            delayMillis,
            TimeUnit.MILLISECONDS);
  }
}
