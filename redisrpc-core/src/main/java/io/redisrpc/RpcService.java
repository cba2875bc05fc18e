package io.redisrpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the service an interface describes. Without it, the service is named after the interface's
 * simple name. Clients and servers meet on this name, so two interfaces with the same service name
 * talk to each other.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RpcService {
  /** The service name: letters, digits and {@code . _ -}, at most 100 characters. */
  String value();

  /**
   * Into how many request streams the service's calls are spread, 1 to 256; 1 by default. A service
   * with N partitions keeps each partition in a slot of its own, so that in a Redis Cluster one hot
   * service spreads over N primaries: callers spread their calls over the partitions, and every
   * server instance serves all of them. Clients and servers must agree on the number: it is part of
   * the service's definition, like its name (docs/PROTOCOL.md).
   */
  int partitions() default 1;
}
