/**
 * Real {@code redis-server} processes for tests: {@link io.redisrpc.testing.RedisProcess} starts
 * and controls one, and {@link io.redisrpc.testing.WithRedis} gives one to each JUnit 5 test class;
 * {@link io.redisrpc.testing.RedisCluster} and {@link io.redisrpc.testing.RedisSentinel} start a
 * cluster and a Sentinel set. {@link io.redisrpc.testing.JarProcess} runs a command line jar in a
 * process of its own, for tests of command line tools.
 *
 * <p>This package depends on no other redisrpc module.
 */
@NullMarked
package io.redisrpc.testing;

import org.jspecify.annotations.NullMarked;
