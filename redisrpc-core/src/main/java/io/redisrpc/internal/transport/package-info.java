/** Implementation detail of redisrpc; not public API. */
@NullMarked
package io.redisrpc.internal.transport;

import org.jspecify.annotations.NullMarked;
