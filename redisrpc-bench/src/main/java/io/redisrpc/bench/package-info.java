/**
 * {@code redisrpc bench}: redisrpc against Redisson RemoteService, NATS request-reply and the floor
 * of any RPC over Redis (raw pub/sub ping-pong), with the results writers and the chart. See
 * docs/BENCHMARKS.md.
 */
package io.redisrpc.bench;
