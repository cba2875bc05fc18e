package io.redisrpc;

import io.redisrpc.internal.connection.LinkOptions;
import io.redisrpc.internal.connection.RedisLink;
import io.redisrpc.internal.connection.RedisTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The connections to one Redis deployment, shared by every client and server of an application:
 * create it once, connect clients and servers through it, close it last.
 *
 * <pre>{@code
 * try (RedisRpc redis = RedisRpc.create("redis-cluster://10.0.0.1:6379,10.0.0.2:6379")) {
 *   RpcServer server = RpcServer.create(Dropbox.class, new DropboxService(2)).connect(redis);
 *   RpcClient<Dropbox> client = RpcClient.create(Dropbox.class).connect(redis);
 *   client.proxy().getFileNames();
 * }
 * }</pre>
 *
 * <p>URIs: {@code redis://[[user:]password@]host[:port][/database]} for one node ({@code rediss://}
 * for TLS); {@code redis-sentinel://[password@]host[:port][,host[:port]...][/database]
 * #primaryName} for the primary of a Sentinel set; {@code redis-cluster://[[user:]password@]host
 * :port[,host:port...]} for a Redis Cluster given by seed nodes ({@code rediss-cluster://} for
 * TLS).
 *
 * <p>However many clients and servers use it, a root holds one command connection (one per primary
 * in a cluster), one subscription connection (one per primary that owns a subscribed channel in a
 * cluster), and one connection per served service for its blocking reads. Connections open at the
 * first use and reconnect on their own. Immutable and thread-safe; {@link #newBuilder()} makes a
 * root with other options, and its own connections.
 */
public final class RedisRpc implements AutoCloseable {
  private final RedisTarget target;
  private final LinkOptions options;
  private final RedisLink link;

  private RedisRpc(Builder builder) {
    this.target = builder.target;
    this.options =
        new LinkOptions(
            builder.connectTimeout,
            builder.topologyRefresh,
            builder.username,
            builder.password == null ? null : builder.password.clone(),
            builder.trustedCertificates);
    this.link = RedisLink.of(target, options);
  }

  /**
   * A root for {@code uri} with default options; nothing is opened yet.
   *
   * @throws IllegalArgumentException when {@code uri} is not one of the URIs above
   */
  public static RedisRpc create(String uri) {
    return builder(uri).build();
  }

  /**
   * A builder of a root for {@code uri}.
   *
   * @throws IllegalArgumentException when {@code uri} is not one of the URIs above
   */
  public static Builder builder(String uri) {
    Objects.requireNonNull(uri, "uri == null");
    return new Builder(RedisTarget.parse(uri));
  }

  /** A builder with this root's URI and options, for a root of its own. */
  public Builder newBuilder() {
    Builder b = new Builder(target);
    b.connectTimeout = options.connectTimeout();
    b.topologyRefresh = options.topologyRefresh();
    b.username = options.username();
    b.password = options.password() == null ? null : options.password().clone();
    b.trustedCertificates = options.trustedCertificates();
    return b;
  }

  /** The URI, without its password. */
  public String uri() {
    return target.text();
  }

  /** Whether this root connects to a Redis Cluster (sharded channels, commands routed by slot). */
  public boolean isCluster() {
    return target.isCluster();
  }

  /** How long opening a connection may take. */
  public Duration connectTimeout() {
    return options.connectTimeout();
  }

  RedisLink link() {
    return link;
  }

  /**
   * A root of its own for {@code uri}, for the shortcuts that take a URI: {@code use} connects
   * through it, and the root is closed again when that fails.
   */
  static RedisRpc privateRoot(String uri, java.util.function.Consumer<RedisRpc> use) {
    RedisRpc root = create(uri);
    try {
      use.accept(root);
      return root;
    } catch (RuntimeException | Error e) {
      root.close();
      throw e;
    }
  }

  /**
   * Closes every connection. Close the clients and servers first: calls still waiting fail, and
   * servers stop without withdrawing.
   */
  @Override
  public void close() {
    link.close();
  }

  @Override
  public String toString() {
    return "RedisRpc[" + target.text() + "]";
  }

  /** Options of a root. */
  public static final class Builder {
    private final RedisTarget target;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration topologyRefresh = Duration.ofSeconds(10);
    private @Nullable String username;
    private char @Nullable [] password;
    private @Nullable Path trustedCertificates;

    private Builder(RedisTarget target) {
      this.target = target;
    }

    /** How long opening one connection may take; 10 s by default. */
    public Builder connectTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout == null");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout must be positive: " + timeout);
      }
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * How often a cluster's topology is read again, besides the reads on redirects, reconnects and
     * moved channels; 10 s by default. No effect outside a cluster.
     */
    public Builder topologyRefresh(Duration period) {
      Objects.requireNonNull(period, "period == null");
      if (period.toMillis() < 100) {
        throw new IllegalArgumentException("topologyRefresh must be at least 100 ms: " + period);
      }
      this.topologyRefresh = period;
      return this;
    }

    /** Authenticates as ACL user {@code username} with {@code password}, whatever the URI says. */
    public Builder credentials(String username, char[] password) {
      this.username = Objects.requireNonNull(username, "username == null");
      this.password = Objects.requireNonNull(password, "password == null").clone();
      return this;
    }

    /** Authenticates with {@code password} (the default user), whatever the URI says. */
    public Builder password(char[] password) {
      this.username = null;
      this.password = Objects.requireNonNull(password, "password == null").clone();
      return this;
    }

    /**
     * Checks TLS servers ({@code rediss://}) against the certificates in the PEM file {@code
     * pemFile} instead of the JVM's trust store.
     */
    public Builder trustedCertificates(Path pemFile) {
      this.trustedCertificates = Objects.requireNonNull(pemFile, "pemFile == null");
      return this;
    }

    /** The root; nothing is opened until a client or server connects through it. */
    public RedisRpc build() {
      return new RedisRpc(this);
    }
  }
}
