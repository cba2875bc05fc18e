/**
 * What a server publishes about its service: the descriptor (endpoints with JSON Schemas of their
 * parameters and results). Implementation detail of redisrpc; not public API.
 */
@NullMarked
package io.redisrpc.internal.registry;

import org.jspecify.annotations.NullMarked;
