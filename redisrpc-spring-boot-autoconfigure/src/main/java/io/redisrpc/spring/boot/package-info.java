/**
 * redisrpc in a Spring application: {@link io.redisrpc.spring.boot.ServeRpc} serves beans, {@link
 * io.redisrpc.spring.boot.EnableRpcClients} makes client proxies beans, and customizers adjust the
 * clients and servers built.
 */
@NullMarked
package io.redisrpc.spring.boot;

import org.jspecify.annotations.NullMarked;
