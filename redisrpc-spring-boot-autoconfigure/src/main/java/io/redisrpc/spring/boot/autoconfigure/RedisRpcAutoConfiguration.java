package io.redisrpc.spring.boot.autoconfigure;

import io.redisrpc.RedisRpc;
import io.redisrpc.spring.boot.RpcClientCustomizer;
import io.redisrpc.spring.boot.RpcClientFactory;
import io.redisrpc.spring.boot.RpcServerCustomizer;
import io.redisrpc.spring.boot.RpcServerLifecycle;
import io.redisrpc.spring.boot.RpcServiceInterfaces;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of redisrpc: the application's one {@link RedisRpc} (on {@code
 * redisrpc.redis-url}, else on the Redis of Spring Boot's {@code DataRedisConnectionDetails} when
 * Spring Data Redis is there, else on {@code spring.data.redis.*} read directly), the {@link
 * RpcClientFactory} behind {@link io.redisrpc.spring.boot.EnableRpcClients} proxies, and the {@link
 * RpcServerLifecycle} serving {@link io.redisrpc.spring.boot.ServeRpc} beans. Each backs off when
 * the application defines a bean of its type.
 */
@AutoConfiguration(
    afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(RedisRpc.class)
@ConditionalOnBooleanProperty(name = "redisrpc.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RedisRpcProperties.class)
public class RedisRpcAutoConfiguration {

  /**
   * With Spring Data Redis, the Redis that Spring Boot's {@code DataRedisConnectionDetails} give
   * (from {@code spring.data.redis.*}, or a Testcontainers or Docker Compose service connection),
   * unless {@code redisrpc.redis-url} is set. Member classes are processed before the {@code @Bean}
   * methods below, which then back off.
   */
  private static final String PROPERTIES_DATA_REDIS_CONNECTION_DETAILS =
      "org.springframework.boot.data.redis.autoconfigure.PropertiesDataRedisConnectionDetails";

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(DataRedisConnectionDetails.class)
  @ConditionalOnBean(DataRedisConnectionDetails.class)
  static class DataRedisConnection {
    @Bean
    @ConditionalOnMissingBean(RedisRpcConnectionDetails.class)
    RedisRpcConnectionDetails dataRedisRpcConnectionDetails(
        RedisRpcProperties properties,
        Environment environment,
        DataRedisConnectionDetails dataRedis) {
      // Spring Boot's own details of spring.data.redis.* leave TLS of a rediss:// url out: those
      // properties are read directly instead, to the same effect.
      boolean fromProperties =
          dataRedis.getClass().getName().equals(PROPERTIES_DATA_REDIS_CONNECTION_DETAILS);
      return StringUtils.hasText(properties.getRedisUrl()) || fromProperties
          ? ResolvedRedisRpcConnectionDetails.of(properties, environment)
          : DataRedisConnectionDetailsAdapter.of(dataRedis);
    }
  }

  @Bean
  @ConditionalOnMissingBean(RedisRpcConnectionDetails.class)
  RedisRpcConnectionDetails redisRpcConnectionDetails(
      RedisRpcProperties properties, Environment environment) {
    return ResolvedRedisRpcConnectionDetails.of(properties, environment);
  }

  /** The root every client and server connects through; closed after them. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(RedisRpc.class)
  RedisRpc redisRpc(
      RedisRpcConnectionDetails connection,
      RedisRpcProperties properties,
      ObjectProvider<RedisRpcBuilderCustomizer> customizers) {
    String uri = connection.getUri();
    String username = connection.getUsername();
    String password = connection.getPassword();
    boolean sentinel =
        uri.regionMatches(true, 0, "redis-sentinel:", 0, 15)
            || uri.regionMatches(true, 0, "rediss-sentinel:", 0, 16);
    if (password != null && sentinel) {
      // RedisRpc.Builder.credentials() fails on Sentinel URIs (Lettuce cannot copy them):
      // the URI carries them instead, for the primary and replicas as Lettuce applies them.
      uri = withUserInfo(uri, username, password);
    }
    RedisRpc.Builder builder =
        RedisRpc.builder(uri)
            .connectTimeout(properties.getConnectTimeout())
            .topologyRefresh(properties.getTopologyRefresh());
    if (password != null && !sentinel) {
      if (username != null && !username.isEmpty()) {
        builder.credentials(username, password.toCharArray());
      } else {
        builder.password(password.toCharArray());
      }
    }
    if (properties.getTrustedCertificates() != null) {
      builder.trustedCertificates(properties.getTrustedCertificates());
    }
    customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
    return builder.build();
  }

  /** {@code uri} with {@code user:password@} (percent-encoded) in place of its user info. */
  static String withUserInfo(String uri, @Nullable String username, String password) {
    int start = uri.indexOf("://") + 3;
    int hash = uri.indexOf('#', start);
    int at = uri.lastIndexOf('@', hash < 0 ? uri.length() : hash);
    String rest = uri.substring(at >= start ? at + 1 : start);
    String user = username == null || username.isEmpty() ? "" : encode(username) + ":";
    return uri.substring(0, start) + user + encode(password) + "@" + rest;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Bean
  @ConditionalOnMissingBean(RpcClientFactory.class)
  RpcClientFactory rpcClientFactory(
      RedisRpc redisRpc,
      RedisRpcProperties properties,
      ObjectProvider<RpcClientCustomizer> customizers) {
    List<RpcClientCustomizer> all = new ArrayList<>();
    all.add(
        (builder, service) -> {
          RedisRpcProperties.Client settings =
              properties.clientFor(RpcServiceInterfaces.serviceName(service));
          if (settings.getTimeout() != null) {
            builder.timeout(settings.getTimeout());
          }
          if (settings.getCodec() != null) {
            builder.codec(settings.getCodec().codec());
          }
        });
    customizers.orderedStream().forEach(all::add);
    return new RpcClientFactory(redisRpc, all);
  }

  @Bean
  @ConditionalOnMissingBean(RpcServerLifecycle.class)
  @ConditionalOnBooleanProperty(name = "redisrpc.server.enabled", matchIfMissing = true)
  RpcServerLifecycle rpcServerLifecycle(
      RedisRpc redisRpc,
      RedisRpcProperties properties,
      ListableBeanFactory beanFactory,
      ObjectProvider<RpcServerCustomizer> customizers) {
    RedisRpcProperties.Server server = properties.getServer();
    List<RpcServerCustomizer> all = new ArrayList<>();
    all.add(
        (builder, service) ->
            builder
                .maxConcurrency(server.getMaxConcurrency())
                .shutdownTimeout(server.getShutdownTimeout()));
    customizers.orderedStream().forEach(all::add);
    return new RpcServerLifecycle(redisRpc, beanFactory, all, server.getShutdownTimeout());
  }
}
