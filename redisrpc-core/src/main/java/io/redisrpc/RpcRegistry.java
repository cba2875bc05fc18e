package io.redisrpc;

import io.redisrpc.internal.registry.RegistryJson;
import io.redisrpc.internal.transport.RegistryReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads what services say about themselves in Redis: which services exist, their live instances
 * (host, pid, version, statistics), their descriptors, and the state of their queues. Every server
 * announces itself there with each heartbeat and withdraws on a clean shutdown; an instance that
 * stops beating disappears on its own. Works for any service without its Java interface.
 *
 * <pre>{@code
 * try (RpcRegistry registry = RpcRegistry.connect("redis://localhost:6379")) {
 *   for (String service : registry.services()) {
 *     System.out.println(service + ": " + registry.instances(service).size() + " instances");
 *   }
 * }
 * }</pre>
 *
 * <p>Thread-safe; holds one connection until closed.
 */
public final class RpcRegistry implements AutoCloseable {
  private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final RegistryReader reader;
  private final @Nullable RedisRpc ownedRoot;

  private RpcRegistry(RegistryReader reader, @Nullable RedisRpc ownedRoot) {
    this.reader = reader;
    this.ownedRoot = ownedRoot;
  }

  /**
   * Connects to the Redis at {@code dsn}.
   *
   * @throws NotConnectedException when Redis cannot be reached
   * @throws IllegalArgumentException when {@code dsn} is not a Redis URI
   */
  public static RpcRegistry connect(String dsn) {
    return connect(dsn, DEFAULT_TIMEOUT);
  }

  /** Connects to the Redis at {@code dsn}, failing reads that take longer than {@code timeout}. */
  public static RpcRegistry connect(String dsn, Duration timeout) {
    Objects.requireNonNull(dsn, "dsn == null");
    Objects.requireNonNull(timeout, "timeout == null");
    RegistryReader[] reader = new RegistryReader[1];
    RedisRpc root =
        RedisRpc.privateRoot(dsn, r -> reader[0] = RegistryReader.connect(r.link(), timeout));
    return new RpcRegistry(reader[0], root);
  }

  /**
   * Reads through {@code redis}, failing reads that take longer than {@code timeout}.
   *
   * @throws NotConnectedException when Redis cannot be reached
   */
  public static RpcRegistry connect(RedisRpc redis, Duration timeout) {
    Objects.requireNonNull(redis, "redis == null");
    Objects.requireNonNull(timeout, "timeout == null");
    return new RpcRegistry(RegistryReader.connect(redis.link(), timeout), null);
  }

  /** The names of the services with live instances or a recent descriptor, sorted. */
  public List<String> services() {
    return reader.services();
  }

  /** The live instances of {@code service}, sorted by id; empty when none is live. */
  public List<ServiceInstance> instances(String service) {
    check(service);
    List<ServiceInstance> out = new ArrayList<>();
    for (RegistryReader.InstanceRecord r : reader.instances(service)) {
      out.add(
          ServiceInstance.of(
              RegistryJson.instance(service, r.id(), r.expiresAtMillis(), r.fields())));
    }
    return out;
  }

  /**
   * The descriptor of {@code service} as JSON: endpoints with parameter names and JSON Schemas of
   * parameters and results, codecs, protocol version (see docs/PROTOCOL.md). Empty when no instance
   * has published one within two heartbeat ttls.
   */
  public Optional<String> descriptor(String service) {
    check(service);
    return Optional.ofNullable(reader.descriptor(service));
  }

  /** The state of {@code service}: its queue and its live instances' statistics. */
  public ServiceStats stats(String service) {
    check(service);
    List<ServiceInstance> instances = instances(service);
    RegistryReader.QueueRecord q = reader.queue(service);
    return new ServiceStats(
        service,
        Instant.ofEpochMilli(q.redisTimeMillis()),
        q.length(),
        q.waiting(),
        q.running(),
        q.oldestWaitingMillis() < 0 ? null : Duration.ofMillis(q.oldestWaitingMillis()),
        q.oldestRunningMillis() < 0 ? null : Duration.ofMillis(q.oldestRunningMillis()),
        q.deadLetters(),
        instances);
  }

  static void check(String service) {
    Objects.requireNonNull(service, "service == null");
    if (!SERVICE_NAME.matcher(service).matches()) {
      throw new IllegalArgumentException(
          "Invalid service name '" + service + "': use 1 to 100 letters, digits, '.', '_' or '-'");
    }
  }

  /** Closes the connections it owns (none when connected through a {@link RedisRpc}). */
  @Override
  public void close() {
    reader.close();
    if (ownedRoot != null) {
      ownedRoot.close();
    }
  }
}
