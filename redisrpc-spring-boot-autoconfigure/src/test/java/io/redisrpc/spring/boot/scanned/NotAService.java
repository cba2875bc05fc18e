package io.redisrpc.spring.boot.scanned;

/** Not a service interface: scanning leaves it alone. */
public interface NotAService {
  String name();
}
