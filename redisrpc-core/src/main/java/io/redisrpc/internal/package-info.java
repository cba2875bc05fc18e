/**
 * Implementation of redisrpc. Not public API: anything here may change in any release. The
 * sub-packages follow a call: {@code proxy} (the interface model and client proxy), {@code codec}
 * (messages on the wire), {@code transport} (Redis), {@code dispatch} (the server side: handler and
 * reply).
 */
@NullMarked
package io.redisrpc.internal;

import org.jspecify.annotations.NullMarked;
