/**
 * What a server publishes about its service and itself: the descriptor (endpoints with JSON Schemas
 * of their parameters and results), and its instance's registry entry with the statistics of its
 * last heartbeat, in the forms the registry holds. Implementation detail of redisrpc; not public
 * API.
 */
@NullMarked
package io.redisrpc.internal.registry;

import org.jspecify.annotations.NullMarked;
