package io.redisrpc.spring.boot.autoconfigure;

import io.redisrpc.Codec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Configuration of redisrpc in a Spring Boot application ({@code redisrpc.*}). */
@ConfigurationProperties("redisrpc")
public class RedisRpcProperties {
  /** The key of {@link #getClient()} whose settings apply to every client. */
  public static final String DEFAULT_CLIENT = "default";

  /** Whether to auto-configure redisrpc. */
  private boolean enabled = true;

  /**
   * Redis URI: redis://, rediss://, redis-sentinel://...#primary or redis-cluster://host:port,...
   * When not set, the URI is built from the spring.data.redis.* properties.
   */
  private @Nullable String redisUrl;

  /** How long opening one connection to Redis may take. */
  private Duration connectTimeout = Duration.ofSeconds(10);

  /** How often a Redis Cluster's topology is read again (besides redirects and reconnects). */
  private Duration topologyRefresh = Duration.ofSeconds(10);

  /**
   * PEM file of the certificates that TLS servers (rediss://) are checked against, instead of the
   * JVM's trust store.
   */
  private @Nullable Path trustedCertificates;

  /**
   * Client settings by service name; the entry "default" applies to every client, an entry named
   * after a service (redisrpc.client.Dropbox.timeout) to that service's clients.
   */
  private final Map<String, Client> client = new LinkedHashMap<>();

  /** Settings of the servers of @ServeRpc beans. */
  private final Server server = new Server();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public @Nullable String getRedisUrl() {
    return redisUrl;
  }

  public void setRedisUrl(@Nullable String redisUrl) {
    this.redisUrl = redisUrl;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  public Duration getTopologyRefresh() {
    return topologyRefresh;
  }

  public void setTopologyRefresh(Duration topologyRefresh) {
    this.topologyRefresh = topologyRefresh;
  }

  public @Nullable Path getTrustedCertificates() {
    return trustedCertificates;
  }

  public void setTrustedCertificates(@Nullable Path trustedCertificates) {
    this.trustedCertificates = trustedCertificates;
  }

  public Map<String, Client> getClient() {
    return client;
  }

  public Server getServer() {
    return server;
  }

  /**
   * The settings of clients of {@code service}: its own entry (matched ignoring case, as property
   * names are), over the "default" entry; either may be missing.
   */
  public Client clientFor(String service) {
    Client merged = new Client();
    Client defaults = find(DEFAULT_CLIENT);
    Client own = find(service);
    for (Client settings : new Client[] {defaults, own}) {
      if (settings != null) {
        if (settings.timeout != null) {
          merged.timeout = settings.timeout;
        }
        if (settings.codec != null) {
          merged.codec = settings.codec;
        }
      }
    }
    return merged;
  }

  private @Nullable Client find(String key) {
    Client exact = client.get(key);
    if (exact != null) {
      return exact;
    }
    for (Map.Entry<String, Client> entry : client.entrySet()) {
      if (entry.getKey().equalsIgnoreCase(key)) {
        return entry.getValue();
      }
    }
    return null;
  }

  /** Settings of clients; unset ones keep redisrpc's defaults (10 s, JSON). */
  public static class Client {
    /** How long a call waits for its reply, unless its endpoint says otherwise; 10s if unset. */
    private @Nullable Duration timeout;

    /** The codec requests are sent in; json if unset. The server answers in the same codec. */
    private @Nullable CodecName codec;

    public @Nullable Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(@Nullable Duration timeout) {
      this.timeout = timeout;
    }

    public @Nullable CodecName getCodec() {
      return codec;
    }

    public void setCodec(@Nullable CodecName codec) {
      this.codec = codec;
    }
  }

  /** The codecs of redisrpc. */
  public enum CodecName {
    /** JSON (Jackson 2). */
    JSON,
    /** MessagePack (Jackson 2 with jackson-dataformat-msgpack). */
    MSGPACK;

    /** The codec of this name. */
    public Codec codec() {
      return Codec.forName(name().toLowerCase(Locale.ROOT));
    }
  }

  /** Settings of servers. */
  public static class Server {
    /** Whether to serve @ServeRpc beans. */
    private boolean enabled = true;

    /** Calls each server runs at once; the others wait in the service's queue. */
    private int maxConcurrency =
        128; // RpcServer.DEFAULT_MAX_CONCURRENCY, as a literal for the metadata

    /**
     * How long a server waits for its calls in flight when the application stops; keep it within
     * spring.lifecycle.timeout-per-shutdown-phase.
     */
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public int getMaxConcurrency() {
      return maxConcurrency;
    }

    public void setMaxConcurrency(int maxConcurrency) {
      this.maxConcurrency = maxConcurrency;
    }

    public Duration getShutdownTimeout() {
      return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
      this.shutdownTimeout = shutdownTimeout;
    }
  }
}
