/**
 * Live statistics of a server instance: calls, errors by status code, calls in flight and latency
 * per endpoint. Implementation detail of redisrpc; not public API.
 */
@NullMarked
package io.redisrpc.internal.stats;

import org.jspecify.annotations.NullMarked;
