/**
 * Implementation detail of redisrpc; not public API. The connections of one {@code RedisRpc} root:
 * what a URI names (one node, a Sentinel set, a Cluster), the shared command connection, the shared
 * subscriptions (classic or sharded pub/sub) and the blocking reads.
 */
@NullMarked
package io.redisrpc.internal.connection;

import org.jspecify.annotations.NullMarked;
