package io.redisrpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface method as callable remotely, the counterpart of aioredis-rpc's
 * {@code @endpoint}.
 *
 * <p>An endpoint returns a value ({@code T m(...)}), {@code void}, or a {@link
 * java.util.concurrent.CompletableFuture} / {@link java.util.concurrent.CompletionStage} of its
 * result. Methods of the interface without this annotation are not callable remotely; calling one
 * on a client proxy throws {@link UnsupportedOperationException}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Endpoint {
  /**
   * The endpoint's name on the wire; empty means the Java method name. Endpoint names must be
   * unique within a service, so overloaded methods need distinct names.
   */
  String name() default "";

  /**
   * Whether running this endpoint twice for one call is harmless. Every request stays pending in
   * the request stream until its reply is out. When the server running it dies, another instance
   * takes it over: an idempotent endpoint runs again there (at-least-once, up to the server's
   * {@code maxDeliveries}); any other endpoint never runs again, and its caller gets {@link
   * StatusCode#UNAVAILABLE} (at-most-once).
   */
  boolean idempotent() default false;

  /**
   * Whether callers wait only until the call is enqueued, not for its outcome: fire-and-forget, for
   * notifications. The method must return {@code void} or a future of {@link Void} (checked when
   * the client or server is created); it returns, or its future completes, once the request is in
   * the service's request stream, and no reply is sent. Delivery is as for any call (at-most-once,
   * or at-least-once when {@link #idempotent()}); the deadline still applies on the server, which
   * skips a call taken after it. Errors of the handler are logged and counted in the server's
   * statistics, never seen by the caller. Not available with {@link Protocol#aioredisRpc()}.
   */
  boolean oneWay() default false;

  /**
   * How long a caller waits for this endpoint, in milliseconds; 0 means the client's default
   * timeout.
   */
  long timeoutMillis() default 0;
}
