package io.redisrpc.spring.boot.scanned;

import io.redisrpc.Endpoint;

/** A service found by scanning for {@link Endpoint} methods: it has no {@code @RpcService}. */
public interface Clock {
  @Endpoint(idempotent = true)
  long now();
}
