package io.redisrpc.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;

/**
 * Registers a client proxy bean for each service interface found, as Spring Cloud OpenFeign's
 * {@code @EnableFeignClients} does for Feign clients: interfaces annotated with {@link
 * io.redisrpc.RpcService @RpcService} or declaring {@link io.redisrpc.Endpoint @Endpoint} methods,
 * in the packages given, or those listed in {@link #clients()}. Without any of these attributes the
 * package of the annotated class is scanned.
 *
 * <pre>{@code
 * @SpringBootApplication
 * @EnableRpcClients(clients = Dropbox.class)
 * class Application { ... }
 *
 * @Service
 * class Uploader {
 *   Uploader(Dropbox dropbox) { ... } // the proxy: its calls go to the Dropbox servers
 * }
 * }</pre>
 *
 * <p>Each proxy is backed by an {@link io.redisrpc.RpcClient} that {@link RpcClientFactory} builds
 * (timeout and codec from {@code redisrpc.client.*}, then every {@link RpcClientCustomizer}) and
 * connects through the application's {@link io.redisrpc.RedisRpc}; the client is closed with the
 * context, before the {@code RedisRpc}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Import(RpcClientsRegistrar.class)
public @interface EnableRpcClients {
  /** Alias for {@link #basePackages()}. */
  @AliasFor("basePackages")
  String[] value() default {};

  /** Packages to scan for service interfaces. */
  @AliasFor("value")
  String[] basePackages() default {};

  /** Packages to scan for service interfaces, named by a class in each. */
  Class<?>[] basePackageClasses() default {};

  /** Service interfaces to make clients of, without scanning. */
  Class<?>[] clients() default {};

  /**
   * Whether the proxies are primary beans, so that injecting the interface gets the proxy even when
   * the application also has a bean implementing it, as when it serves the same service; {@code
   * true} by default.
   */
  boolean primary() default true;
}
