package io.redisrpc.internal.codec;

import org.jspecify.annotations.Nullable;

/** A reply as a client decoded it: a result, or an error. */
public record IncomingReply(String id, @Nullable Object result, @Nullable ErrorBody error) {}
