package io.redisrpc.spring.boot.autoconfigure.health;

import io.redisrpc.RedisRpc;
import io.redisrpc.spring.boot.RpcClientFactory;
import io.redisrpc.spring.boot.RpcServerLifecycle;
import io.redisrpc.spring.boot.autoconfigure.RedisRpcAutoConfiguration;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@link RedisRpcHealthIndicator} ({@code redisRpc} in the health endpoint), when Spring Boot's
 * health module is on the class path (actuator brings it) and {@code
 * management.health.redisrpc.enabled} is not false.
 */
@AutoConfiguration(
    after = RedisRpcAutoConfiguration.class,
    afterName =
        "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(RedisRpc.class)
@ConditionalOnEnabledHealthIndicator("redisrpc")
public class RedisRpcHealthContributorAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "redisRpcHealthIndicator")
  RedisRpcHealthIndicator redisRpcHealthIndicator(
      RedisRpc redisRpc,
      ObjectProvider<RpcServerLifecycle> servers,
      ObjectProvider<RpcClientFactory> clients) {
    return new RedisRpcHealthIndicator(
        redisRpc, servers.getIfUnique(), clients.getIfUnique(), Duration.ofSeconds(2));
  }
}
