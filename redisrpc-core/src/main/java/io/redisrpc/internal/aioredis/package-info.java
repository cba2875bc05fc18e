/**
 * The aioredis-rpc protocol: the wire format of the Python library aioredis-rpc 1.x (pub/sub on a
 * queue channel, MessagePack messages, ext types 23 and 25), as a second {@link
 * io.redisrpc.internal.transport.ClientChannel} and {@link
 * io.redisrpc.internal.transport.ServerChannel}. Implementation detail of redisrpc; not public API.
 * See docs/AIOREDIS.md.
 */
@NullMarked
package io.redisrpc.internal.aioredis;

import org.jspecify.annotations.NullMarked;
