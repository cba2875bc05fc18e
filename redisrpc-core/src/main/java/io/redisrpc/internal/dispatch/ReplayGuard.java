package io.redisrpc.internal.dispatch;

import io.redisrpc.internal.codec.IncomingRequest;
import io.redisrpc.internal.transport.ServerTransport;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a captured signed request from running twice. A signed request carries the time it was sent
 * (on Redis' clock, inside the signed bytes): outside the window around it the server refuses it,
 * and within the window the server records each call it takes in Redis, shared by every instance,
 * so that a copy appended again is refused wherever it is read.
 */
final class ReplayGuard {
  /** How far a signed request's time may be from the server's view of Redis' clock. */
  static final long WINDOW_MILLIS = 10_000;

  /** The longest a call is recorded: its timeout may be longer, Redis' expiry times may not. */
  private static final long MAX_RECORD_MILLIS = 10L * 365 * 24 * 3600 * 1000;

  private ReplayGuard() {}

  /** Why {@code request}, taken at {@code nowMillis} (Redis' clock), is refused, or null. */
  static @Nullable String outsideWindow(IncomingRequest request, long nowMillis) {
    long sentAt = request.sentAtMillis();
    if (sentAt < 0) {
      return "it is signed but carries no sent_at_ms";
    }
    if (sentAt > nowMillis + WINDOW_MILLIS) {
      return "it was sent " + (sentAt - nowMillis) + " ms in the future";
    }
    if (nowMillis > lastAcceptedMillis(request)) {
      return "it was sent " + (nowMillis - sentAt) + " ms ago, past its timeout and the window";
    }
    return null;
  }

  /**
   * Completes with true when entry {@code entryId} is the first taking of its call (or the same
   * entry again, redelivered after a crash), false when it is a replay.
   */
  static CompletableFuture<Boolean> firstTaking(
      ServerTransport t, IncomingRequest request, String entryId, long deliveries, long nowMillis) {
    // Remembered for as long as a copy could still be accepted, and a second more.
    long ttl = Math.min(lastAcceptedMillis(request) - nowMillis, MAX_RECORD_MILLIS) + 1_000;
    return t.recordCall(request.replyTo(), request.id(), entryId, ttl, deliveries > 1);
  }

  private static long lastAcceptedMillis(IncomingRequest request) {
    long last = request.sentAtMillis() + Math.max(0, request.timeoutMillis()) + WINDOW_MILLIS;
    // A timeout of centuries must not wrap around into the past.
    return last < request.sentAtMillis() ? Long.MAX_VALUE : last;
  }
}
