package io.redisrpc.internal.codec;

import org.jspecify.annotations.Nullable;

/**
 * A reply as a client decoded it: a result, or an error. A message of a stream has its place in it,
 * {@code seq} (-1 for a reply that is no part of a stream): an item ({@code result}), the end
 * ({@code end}) or the error ending it; a keep-alive ({@code keepAlive}) has none.
 */
public record IncomingReply(
    String id,
    @Nullable Object result,
    @Nullable ErrorBody error,
    long seq,
    boolean end,
    boolean keepAlive) {
  /** A reply to a call of one result. */
  public IncomingReply(String id, @Nullable Object result, @Nullable ErrorBody error) {
    this(id, result, error, -1, false, false);
  }
}
