/**
 * Real {@code redis-server} processes for tests: {@link io.redisrpc.testing.RedisProcess} starts
 * and controls one, and {@link io.redisrpc.testing.WithRedis} gives one to each JUnit 5 test class.
 *
 * <p>This package depends on no other redisrpc module.
 */
@NullMarked
package io.redisrpc.testing;

import org.jspecify.annotations.NullMarked;
