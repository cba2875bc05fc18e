package io.redisrpc.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.stereotype.Component;

/**
 * Serves a bean over redisrpc: on a class, which then is a component found by component scanning,
 * or on a {@code @Bean} method. The bean implements one or more service interfaces (annotated with
 * {@link io.redisrpc.RpcService @RpcService} or declaring {@link io.redisrpc.Endpoint @Endpoint}
 * methods); {@link RpcServerLifecycle} serves each of them through the application's {@link
 * io.redisrpc.RedisRpc} once the context is refreshed, and stops serving, finishing the calls in
 * flight, when the context closes.
 *
 * <pre>{@code
 * @Bean
 * @ServeRpc
 * DropboxService dropboxService() {
 *   return new DropboxService(2);
 * }
 * }</pre>
 *
 * <p>Named so that it does not clash with {@link io.redisrpc.RpcServer}, the server it creates.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Component
public @interface ServeRpc {
  /**
   * The service interfaces to serve; by default every service interface the bean's class
   * implements.
   */
  Class<?>[] value() default {};
}
