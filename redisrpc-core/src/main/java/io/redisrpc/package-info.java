/**
 * Typed remote calls between Java services over Redis.
 *
 * <p>Declare an interface whose remotely callable methods carry {@link io.redisrpc.Endpoint}, serve
 * an implementation with {@link io.redisrpc.RpcServer}, and call it through the proxy of an {@link
 * io.redisrpc.RpcClient}. Everything in this package is non-null unless marked {@code @Nullable};
 * nothing under {@code io.redisrpc.internal} is public API.
 */
@NullMarked
package io.redisrpc;

import org.jspecify.annotations.NullMarked;
