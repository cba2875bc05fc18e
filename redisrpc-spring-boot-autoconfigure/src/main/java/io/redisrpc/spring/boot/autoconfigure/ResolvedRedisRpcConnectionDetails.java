package io.redisrpc.spring.boot.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * A URI and credentials, resolved from {@code redisrpc.redis-url} when set; else from the Redis
 * that {@code spring.data.redis.*} describes (read from the environment, so Spring Data Redis need
 * not be on the class path), as Spring Boot reads them: Sentinel when {@code sentinel.master} is
 * set, else a cluster when {@code cluster.nodes} is, else {@code url}, else {@code host}, {@code
 * port} and {@code database}; TLS when {@code ssl.enabled} (or an {@code ssl.bundle}) is set;
 * {@code username} and {@code password} (or those of {@code url}) for the data nodes.
 */
final class ResolvedRedisRpcConnectionDetails implements RedisRpcConnectionDetails {
  private static final Logger log =
      LoggerFactory.getLogger(ResolvedRedisRpcConnectionDetails.class);

  private final String uri;
  private final @Nullable String username;
  private final @Nullable String password;

  ResolvedRedisRpcConnectionDetails(
      String uri, @Nullable String username, @Nullable String password) {
    this.uri = uri;
    this.username = username;
    this.password = password;
  }

  static ResolvedRedisRpcConnectionDetails of(
      RedisRpcProperties properties, Environment environment) {
    if (StringUtils.hasText(properties.getRedisUrl())) {
      return new ResolvedRedisRpcConnectionDetails(properties.getRedisUrl().strip(), null, null);
    }
    SpringDataRedis redis =
        Binder.get(environment)
            .bind("spring.data.redis", SpringDataRedis.class)
            .orElseGet(SpringDataRedis::defaults);
    return of(redis);
  }

  static ResolvedRedisRpcConnectionDetails of(SpringDataRedis redis) {
    boolean tls = redis.ssl() != null && redis.ssl().isEnabled();
    if (tls && redis.ssl().bundle() != null) {
      log.warn(
          "spring.data.redis.ssl.bundle is not applied by redisrpc: its TLS connections check"
              + " servers against the JVM's trust store, or redisrpc.trusted-certificates");
    }
    String username = redis.username();
    String password = redis.password();
    if (StringUtils.hasText(redis.url())) {
      String[] credentials = userInfo(redis.url());
      username = credentials[0];
      password = credentials[1];
    }
    if (redis.masterreplica() != null && !isEmpty(redis.masterreplica().nodes())) {
      throw new IllegalStateException(
          "spring.data.redis.masterreplica.nodes is not supported by redisrpc: set"
              + " redisrpc.redis-url to the primary (redis://), its sentinels"
              + " (redis-sentinel://...#primary) or a cluster (redis-cluster://)");
    }
    int database = redis.database() == null ? 0 : redis.database();
    if (redis.sentinel() != null && StringUtils.hasText(redis.sentinel().master())) {
      SpringDataRedis.Sentinel sentinel = redis.sentinel();
      if (isEmpty(sentinel.nodes())) {
        throw new IllegalStateException(
            "spring.data.redis.sentinel.master is set without spring.data.redis.sentinel.nodes");
      }
      if (StringUtils.hasText(sentinel.password()) || StringUtils.hasText(sentinel.username())) {
        log.warn(
            "spring.data.redis.sentinel.username/password are not applied by redisrpc: it"
                + " authenticates to the primary and its replicas only");
      }
      String uri = sentinelUri(tls, sentinel.nodes(), database, sentinel.master());
      return new ResolvedRedisRpcConnectionDetails(uri, username, password);
    }
    if (redis.cluster() != null && !isEmpty(redis.cluster().nodes())) {
      String uri = clusterUri(tls, redis.cluster().nodes());
      return new ResolvedRedisRpcConnectionDetails(uri, username, password);
    }
    if (StringUtils.hasText(redis.url())) {
      String url = redis.url().strip();
      if (tls && url.toLowerCase(Locale.ROOT).startsWith("redis://")) {
        url = "rediss://" + url.substring("redis://".length());
      }
      return new ResolvedRedisRpcConnectionDetails(url, null, null);
    }
    String host = StringUtils.hasText(redis.host()) ? redis.host().strip() : "localhost";
    int port = redis.port() == null ? 6379 : redis.port();
    String uri = nodeUri(tls, host, port, database);
    return new ResolvedRedisRpcConnectionDetails(uri, username, password);
  }

  /** {@code redis-sentinel://nodes[/database]#master}, or {@code rediss-sentinel://}. */
  static String sentinelUri(boolean tls, List<String> nodes, int database, String master) {
    return (tls ? "rediss-sentinel://" : "redis-sentinel://")
        + nodes(nodes)
        + (database != 0 ? "/" + database : "")
        + "#"
        + master.strip();
  }

  /** {@code redis-cluster://nodes}, or {@code rediss-cluster://}. */
  static String clusterUri(boolean tls, List<String> nodes) {
    return (tls ? "rediss-cluster://" : "redis-cluster://") + nodes(nodes);
  }

  /** {@code redis://host:port[/database]}, or {@code rediss://}. */
  static String nodeUri(boolean tls, String host, int port, int database) {
    return (tls ? "rediss://" : "redis://")
        + bracketed(host)
        + ":"
        + port
        + (database != 0 ? "/" + database : "");
  }

  private static boolean isEmpty(@Nullable List<String> list) {
    return list == null || list.stream().noneMatch(StringUtils::hasText);
  }

  static String nodes(List<String> nodes) {
    return nodes.stream()
        .filter(StringUtils::hasText)
        .map(String::strip)
        .collect(Collectors.joining(","));
  }

  static String bracketed(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** The user and password of {@code url}, each null when absent. */
  private static String[] userInfo(String url) {
    try {
      String info = new URI(url.strip()).getUserInfo();
      if (info == null || info.isEmpty()) {
        return new String[2];
      }
      int colon = info.indexOf(':');
      if (colon < 0) {
        return new String[] {null, info};
      }
      String user = info.substring(0, colon);
      return new String[] {user.isEmpty() ? null : user, info.substring(colon + 1)};
    } catch (URISyntaxException e) {
      throw new IllegalStateException("spring.data.redis.url is not a URI: " + e.getMessage(), e);
    }
  }

  @Override
  public String getUri() {
    return uri;
  }

  @Override
  public @Nullable String getUsername() {
    return username;
  }

  @Override
  public @Nullable String getPassword() {
    return password;
  }

  @Override
  public String toString() {
    return "ResolvedRedisRpcConnectionDetails[" + uri + "]";
  }

  /** The part of {@code spring.data.redis.*} that says where Redis is. */
  record SpringDataRedis(
      @Nullable String url,
      @Nullable String host,
      @Nullable Integer port,
      @Nullable String username,
      @Nullable String password,
      @Nullable Integer database,
      @Nullable Ssl ssl,
      @Nullable Sentinel sentinel,
      @Nullable Cluster cluster,
      @Nullable Masterreplica masterreplica) {
    static SpringDataRedis defaults() {
      return new SpringDataRedis(null, null, null, null, null, null, null, null, null, null);
    }

    record Ssl(@Nullable Boolean enabled, @Nullable String bundle) {
      boolean isEnabled() {
        return enabled != null ? enabled : bundle != null;
      }
    }

    record Sentinel(
        @Nullable String master,
        @Nullable List<String> nodes,
        @Nullable String username,
        @Nullable String password) {}

    record Cluster(@Nullable List<String> nodes) {}

    record Masterreplica(@Nullable List<String> nodes) {}
  }
}
