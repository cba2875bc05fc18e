package io.redisrpc.internal.codec;

import io.redisrpc.Metadata;
import io.redisrpc.RpcException;
import org.jspecify.annotations.Nullable;

/**
 * A request as a server decoded it. When {@code failure} is set the request can still be answered
 * (its id and reply address are known) but not run. {@code version} is the protocol version it
 * names (1 when it names none); {@code sentAtMillis} the caller's estimate of Redis' clock when it
 * sent the request, or -1; {@code oneWay} whether its caller asked for no reply; {@code credits}
 * the items the caller of a stream grants at first, 0 for a call of one result.
 */
public record IncomingRequest(
    String id,
    String replyTo,
    String method,
    long timeoutMillis,
    long version,
    long sentAtMillis,
    Metadata headers,
    @Nullable String idempotencyKey,
    boolean oneWay,
    @Nullable MethodCodec codec,
    @Nullable Object @Nullable [] arguments,
    @Nullable RpcException failure,
    long credits) {

  /** This request answered under call id {@code newId}. */
  public IncomingRequest withId(String newId) {
    return new IncomingRequest(
        newId,
        replyTo,
        method,
        timeoutMillis,
        version,
        sentAtMillis,
        headers,
        idempotencyKey,
        oneWay,
        codec,
        arguments,
        failure,
        credits);
  }

  /** Whether the caller opened a stream: it granted items ({@code credits}). */
  public boolean streaming() {
    return credits > 0;
  }
}
