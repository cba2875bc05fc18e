/** Implementation detail of redisrpc; not public API. */
@NullMarked
package io.redisrpc.internal.codec;

import org.jspecify.annotations.NullMarked;
