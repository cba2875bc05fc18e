/** Implementation detail of redisrpc; not public API. The built-in call adapters. */
@NullMarked
package io.redisrpc.internal.adapter;

import org.jspecify.annotations.NullMarked;
