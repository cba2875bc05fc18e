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
}
