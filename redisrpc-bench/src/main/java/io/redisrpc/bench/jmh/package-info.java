/** The JMH benchmark of redisrpc's per-call CPU path without Redis, and its runner. */
package io.redisrpc.bench.jmh;
