/** Implementation detail of redisrpc; not public API. */
@NullMarked
package io.redisrpc.internal.dispatch;

import org.jspecify.annotations.NullMarked;
