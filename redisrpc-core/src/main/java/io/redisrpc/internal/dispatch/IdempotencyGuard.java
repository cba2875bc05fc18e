package io.redisrpc.internal.dispatch;

import io.redisrpc.StatusCode;
import io.redisrpc.internal.codec.IncomingRequest;
import io.redisrpc.internal.transport.ServerTransport;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an endpoint once per idempotency key within a window, shared by every server of the service
 * through Redis (docs/PROTOCOL.md, section 10): the first call with a key records its request while
 * it runs, then its reply; a later call with the key gets that reply, or {@code ABORTED} while the
 * first still runs. A call that ended without its handler's own outcome (deadline, cancellation)
 * forgets the key, so that it may be tried again.
 */
final class IdempotencyGuard {
  private static final Logger log = LoggerFactory.getLogger(IdempotencyGuard.class);
  private static final byte RUNNING = 'R';
  private static final byte DONE = 'D';

  /** How long a running call's record outlives its deadline, should its server die. */
  private static final long RUNNING_SLACK_MILLIS = 1_000;

  private final long windowMillis;

  IdempotencyGuard(long windowMillis) {
    this.windowMillis = windowMillis;
  }

  /** What the record of a key says about a call that carries it. */
  record Claim(boolean first, @Nullable String codec, byte @Nullable [] reply) {
    /** Whether a call with the key runs now, elsewhere or here. */
    boolean running() {
      return !first && reply == null;
    }
  }

  /**
   * Records that entry {@code entryId} runs {@code request}, unless its key was recorded before:
   * completes with whether it is the first (or the same entry taken over after its server died), or
   * else with the reply recorded, if any.
   */
  CompletableFuture<Claim> claim(
      ServerTransport t,
      IncomingRequest request,
      String key,
      String entryId,
      long deliveries,
      long remainingMillis) {
    byte[] marker = bytes((char) RUNNING + entryId);
    long ttl =
        remainingMillis < 0
            ? windowMillis
            : Math.min(windowMillis, remainingMillis + RUNNING_SLACK_MILLIS);
    return t.claimIdempotencyKey(request.method(), key, marker, ttl)
        .thenApply(previous -> claimOf(previous, marker, deliveries));
  }

  private static Claim claimOf(byte @Nullable [] previous, byte[] marker, long deliveries) {
    if (previous == null || (deliveries > 1 && Arrays.equals(previous, marker))) {
      return new Claim(true, null, null);
    }
    if (previous.length > 0 && previous[0] == DONE) {
      for (int i = 1; i < previous.length; i++) {
        if (previous[i] == '\n') {
          String codec = new String(previous, 1, i - 1, StandardCharsets.UTF_8);
          return new Claim(false, codec, Arrays.copyOfRange(previous, i + 1, previous.length));
        }
      }
    }
    return new Claim(false, null, null);
  }

  /**
   * What a first call with {@code key} does with its reply, encoded in {@code codec}: records it
   * for the window, or forgets the key when the handler did not finish (deadline, cancellation).
   */
  ReplyWriter.Outcome recorder(ServerTransport t, String method, String key, String codec) {
    return (reply, errorCode) -> {
      boolean unfinished =
          StatusCode.DEADLINE_EXCEEDED.name().equals(errorCode)
              || StatusCode.CANCELLED.name().equals(errorCode);
      byte[] value = null;
      if (!unfinished) {
        byte[] head = bytes((char) DONE + codec + "\n");
        value = Arrays.copyOf(head, head.length + reply.length);
        System.arraycopy(reply, 0, value, head.length, reply.length);
      }
      CompletionStage<?> recorded = t.recordIdempotencyKey(method, key, value, windowMillis);
      return recorded.whenComplete(
          (ok, error) -> {
            if (error != null) {
              log.warn(
                  "Cannot record the outcome of {} with idempotency key {}: {}",
                  method,
                  key,
                  error.getMessage());
            }
          });
    };
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
