package io.redisrpc.internal.codec;

import io.redisrpc.Metadata;
import io.redisrpc.RpcException;
import org.jspecify.annotations.Nullable;

/**
 * A request as a server decoded it. When {@code failure} is set the request can still be answered
 * (its id and reply address are known) but not run.
 */
public record IncomingRequest(
    String id,
    String replyTo,
    String method,
    long timeoutMillis,
    Metadata headers,
    @Nullable MethodCodec codec,
    @Nullable Object @Nullable [] arguments,
    @Nullable RpcException failure) {}
