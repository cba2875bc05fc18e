/** Implementation detail of redisrpc; not public API. */
@NullMarked
package io.redisrpc.internal.proxy;

import org.jspecify.annotations.NullMarked;
