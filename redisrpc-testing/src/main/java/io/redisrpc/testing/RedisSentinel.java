package io.redisrpc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A real Redis Sentinel set for tests: a primary, a replica, and three sentinels monitoring them as
 * {@value #MASTER_NAME} (quorum 2, a primary unreachable for 1 s is down), all {@code redis-server}
 * processes on free ports of {@code 127.0.0.1}. Nothing is persisted; {@link #close()} (or the
 * JVM's exit) stops every process.
 *
 * <pre>{@code
 * try (RedisSentinel sentinel = RedisSentinel.start()) {
 *   connectTo(sentinel.uri()); // redis-sentinel://127.0.0.1:s1,127.0.0.1:s2,127.0.0.1:s3#mymaster
 *   sentinel.killPrimary();    // the replica is promoted
 * }
 * }</pre>
 *
 * <p>Instances are thread-safe.
 */
public final class RedisSentinel implements AutoCloseable {
  /** The name the sentinels know the primary by. */
  public static final String MASTER_NAME = "mymaster";

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final List<RedisProcess> servers;
  private final List<RedisProcess> sentinels;
  private final Path directory;
  private boolean closed;

  private RedisSentinel(List<RedisProcess> servers, List<RedisProcess> sentinels, Path directory) {
    this.servers = servers;
    this.sentinels = sentinels;
    this.directory = directory;
  }

  /**
   * Starts a primary, its replica and three sentinels, and returns once the sentinels agree on the
   * primary and know its replica.
   *
   * @throws IllegalStateException if the set does not form within 30 s
   */
  public static RedisSentinel start() {
    List<RedisProcess> servers = new ArrayList<>();
    List<RedisProcess> sentinels = new ArrayList<>();
    Path directory;
    try {
      directory = Files.createTempDirectory("redisrpc-sentinel-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for the sentinels", e);
    }
    boolean formed = false;
    try {
      RedisProcess primary = RedisProcess.start();
      servers.add(primary);
      servers.add(
          RedisProcess.start("--replicaof", primary.host(), Integer.toString(primary.port())));
      for (int i = 0; i < 3; i++) {
        Path config = directory.resolve("sentinel-" + i + ".conf");
        Files.writeString(
            config,
            "sentinel monitor "
                + MASTER_NAME
                + " "
                + primary.host()
                + " "
                + primary.port()
                + " 2\n"
                + "sentinel down-after-milliseconds "
                + MASTER_NAME
                + " 1000\n"
                + "sentinel failover-timeout "
                + MASTER_NAME
                + " 5000\n"
                + "sentinel parallel-syncs "
                + MASTER_NAME
                + " 1\n",
            StandardCharsets.UTF_8);
        sentinels.add(RedisProcess.startWithConfig(config, "--sentinel"));
      }
      RedisSentinel set = new RedisSentinel(servers, sentinels, directory);
      set.await(
          "the sentinels to agree on the primary and see its replica and each other",
          () -> set.formed(primary));
      formed = true;
      return set;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (!formed) {
        servers.forEach(RedisProcess::close);
        sentinels.forEach(RedisProcess::close);
      }
    }
  }

  /**
   * {@code redis-sentinel://127.0.0.1:s1,127.0.0.1:s2,127.0.0.1:s3#mymaster}, Lettuce's syntax for
   * the primary known to these sentinels.
   */
  public String uri() {
    StringJoiner hosts = new StringJoiner(",", "redis-sentinel://", "#" + MASTER_NAME);
    for (RedisProcess sentinel : sentinels) {
      hosts.add(sentinel.host() + ":" + sentinel.port());
    }
    return hosts.toString();
  }

  /** The sentinels. */
  public List<RedisProcess> sentinels() {
    return Collections.unmodifiableList(sentinels);
  }

  /** The primary and the replica, as started. */
  public List<RedisProcess> servers() {
    return Collections.unmodifiableList(servers);
  }

  /** The process the sentinels consider the primary now. */
  public RedisProcess primary() {
    int port = primaryPort();
    for (RedisProcess server : servers) {
      if (server.port() == port) {
        return server;
      }
    }
    throw new IllegalStateException("the sentinels name an unknown primary on port " + port);
  }

  /**
   * Kills ({@code SIGKILL}) the primary and waits until the sentinels have promoted the replica and
   * it serves as primary; returns the new primary.
   */
  public RedisProcess killPrimary() {
    RedisProcess old = primary();
    old.kill();
    await(
        "the sentinels to promote the replica",
        () -> {
          int port = primaryPort();
          if (port == -1 || port == old.port()) {
            return false; // not agreed yet, or not failed over yet
          }
          String role = command(port, "INFO", "replication");
          return role != null && role.contains("role:master");
        });
    return primary();
  }

  /** Stops every process and deletes the sentinels' configuration files. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    sentinels.forEach(RedisProcess::close);
    servers.forEach(RedisProcess::close);
    try (var files = Files.list(directory)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(directory);
    } catch (IOException ignored) {
      // a temporary directory left behind
    }
  }

  @Override
  public String toString() {
    return "RedisSentinel[" + uri() + "]";
  }

  private boolean formed(RedisProcess primary) {
    for (RedisProcess sentinel : sentinels) {
      Object master = reply(sentinel.port(), "SENTINEL", "MASTER", MASTER_NAME);
      Object replicas = reply(sentinel.port(), "SENTINEL", "REPLICAS", MASTER_NAME);
      Object others = reply(sentinel.port(), "SENTINEL", "SENTINELS", MASTER_NAME);
      if (!(master instanceof List)
          || primaryPort(sentinel) != primary.port()
          || !(replicas instanceof List)
          || ((List<?>) replicas).isEmpty()
          || !(others instanceof List)
          || ((List<?>) others).size() < sentinels.size() - 1) {
        return false;
      }
    }
    return true;
  }

  private int primaryPort() {
    int agreed = -1;
    for (RedisProcess sentinel : sentinels) {
      if (sentinel.isRunning()) {
        int port = primaryPort(sentinel);
        if (agreed == -1) {
          agreed = port;
        } else if (agreed != port) {
          return -1;
        }
      }
    }
    return agreed;
  }

  private static int primaryPort(RedisProcess sentinel) {
    Object address = reply(sentinel.port(), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
    if (!(address instanceof List) || ((List<?>) address).size() < 2) {
      return -1;
    }
    return Integer.parseInt(String.valueOf(((List<?>) address).get(1)));
  }

  private void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "Redis Sentinel " + uri() + ": timed out after " + TIMEOUT + " waiting for " + what);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
  }

  private static @Nullable String command(int port, String... command) {
    Object reply = reply(port, command);
    return reply instanceof String ? (String) reply : null;
  }

  private static @Nullable Object reply(int port, String... command) {
    try (Resp resp = Resp.connect(port)) {
      return resp.reply(command);
    } catch (IOException e) {
      return null;
    }
  }
}
