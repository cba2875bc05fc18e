package io.redisrpc.spring.boot.scanned;

import io.redisrpc.Endpoint;
import io.redisrpc.RpcService;

/** A service found by scanning for {@link RpcService}. */
@RpcService("Greeter")
public interface Greeter {
  @Endpoint
  String greet(String name);
}
