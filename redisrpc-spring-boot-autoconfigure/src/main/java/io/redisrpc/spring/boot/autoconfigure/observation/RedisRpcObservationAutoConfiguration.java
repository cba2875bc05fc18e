package io.redisrpc.spring.boot.autoconfigure.observation;

import io.micrometer.observation.ObservationRegistry;
import io.redisrpc.micrometer.ObservationClientInterceptor;
import io.redisrpc.micrometer.ObservationServerInterceptor;
import io.redisrpc.spring.boot.RpcClientCustomizer;
import io.redisrpc.spring.boot.RpcServerCustomizer;
import io.redisrpc.spring.boot.autoconfigure.RedisRpcAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Observes every redisrpc call through the application's {@link ObservationRegistry}, when
 * redisrpc-micrometer is on the class path: its client and server interceptors are added to every
 * client and server first, so that they observe the other interceptors too. With Spring Boot's
 * Micrometer Tracing and metrics, that gives spans continued across calls and the {@code
 * rpc.client.call.duration} and {@code rpc.server.call.duration} timers.
 */
@AutoConfiguration(
    before = RedisRpcAutoConfiguration.class,
    afterName =
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ObservationRegistry.class, ObservationClientInterceptor.class})
@ConditionalOnBean(ObservationRegistry.class)
public class RedisRpcObservationAutoConfiguration {

  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE)
  @ConditionalOnMissingBean(name = "redisRpcClientObservationCustomizer")
  RpcClientCustomizer redisRpcClientObservationCustomizer(ObservationRegistry registry) {
    ObservationClientInterceptor interceptor = ObservationClientInterceptor.create(registry);
    return (builder, service) -> builder.addInterceptor(interceptor);
  }

  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE)
  @ConditionalOnMissingBean(name = "redisRpcServerObservationCustomizer")
  RpcServerCustomizer redisRpcServerObservationCustomizer(ObservationRegistry registry) {
    ObservationServerInterceptor interceptor = ObservationServerInterceptor.create(registry);
    return (builder, service) -> builder.addInterceptor(interceptor);
  }
}
