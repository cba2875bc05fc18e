/**
 * Spring Boot auto-configuration of redisrpc: {@link
 * io.redisrpc.spring.boot.autoconfigure.RedisRpcAutoConfiguration} and its properties, {@link
 * io.redisrpc.spring.boot.autoconfigure.RedisRpcProperties} ({@code redisrpc.*}).
 */
@NullMarked
package io.redisrpc.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
