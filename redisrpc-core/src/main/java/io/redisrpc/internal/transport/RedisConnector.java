package io.redisrpc.internal.transport;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.redisrpc.NotConnectedException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Turns a DSN into a Lettuce client; all redisrpc clients of a JVM share one set of threads. */
public final class RedisConnector {
  /** Keys and channel names are text, values are the bytes of encoded messages. */
  public static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private static volatile ClientResources resources;

  private RedisConnector() {}

  private static ClientResources resources() {
    ClientResources r = resources;
    if (r == null) {
      synchronized (RedisConnector.class) {
        r = resources;
        if (r == null) {
          r = DefaultClientResources.create();
          resources = r;
        }
      }
    }
    return r;
  }

  /**
   * Parses {@code dsn}: {@code redis://[user:password@]host[:port][/database]} or {@code
   * rediss://}.
   */
  public static RedisURI parse(String dsn) {
    try {
      return RedisURI.create(dsn);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Invalid Redis URI: " + e.getMessage(), e);
    }
  }

  /**
   * A Lettuce client for {@code uri}; commands fail at once while the connection is down, and after
   * {@code commandTimeout} when Redis does not answer. With a null timeout commands have no timer
   * of their own: calls, which carry their own deadline, need none per command.
   */
  public static RedisClient client(RedisURI uri, @Nullable Duration commandTimeout) {
    RedisClient client = RedisClient.create(resources(), uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(5)).build())
            .timeoutOptions(
                commandTimeout == null
                    ? TimeoutOptions.builder().timeoutCommands(false).build()
                    : TimeoutOptions.enabled(commandTimeout))
            .build());
    return client;
  }

  /** The exception for a failed connection attempt, without the password of the URI. */
  public static NotConnectedException cannotConnect(RedisURI uri, Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return new NotConnectedException(
        "Cannot connect to Redis at "
            + (uri.isSsl() ? "rediss://" : "redis://")
            + uri.getHost()
            + ":"
            + uri.getPort()
            + ": "
            + root.getMessage(),
        cause);
  }

  public static void shutdown(RedisClient client) {
    client.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
