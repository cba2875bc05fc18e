package io.redisrpc.internal.transport;

import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.redisrpc.internal.connection.RedisLink;
import io.redisrpc.internal.registry.ServiceDescriptor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Reads the registry: the services that announced themselves, their descriptors, their live
 * instances' hashes, and the state of their request queues. Read-only but for one thing: a service
 * whose instances and descriptor have all expired is dropped from {@link RedisKeys#SERVICES}.
 */
public final class RegistryReader implements AutoCloseable {
  private final RedisClusterAsyncCommands<String, byte[]> redis;
  private final RedisWait wait;

  /** A live instance: its id, when it expires (Redis ms), and its hash (empty if it wrote none). */
  public record InstanceRecord(String id, long expiresAtMillis, Map<String, String> fields) {}

  /**
   * A request queue: Redis' time, entries, waiting and running calls, and the ages in ms of the
   * oldest waiting and running entries (-1 when none).
   */
  public record QueueRecord(
      long redisTimeMillis,
      long length,
      long waiting,
      long running,
      long oldestWaitingMillis,
      long oldestRunningMillis,
      long deadLetters) {}

  private RegistryReader(RedisClusterAsyncCommands<String, byte[]> redis, Duration timeout) {
    this.redis = redis;
    this.wait = new RedisWait(timeout, "read the registry");
  }

  /**
   * Reads through {@code link}; a read fails after {@code timeout}.
   *
   * @throws io.redisrpc.NotConnectedException when Redis cannot be reached
   */
  public static RegistryReader connect(RedisLink link, Duration timeout) {
    return new RegistryReader(link.commands(), timeout);
  }

  /**
   * The names of the services in the index, sorted; those without a live instance and without a
   * descriptor (gone for two heartbeat ttls) are removed from it on the way.
   */
  public List<String> services() {
    List<String> names =
        new ArrayList<>(new TreeSet<>(texts(await(redis.smembers(RedisKeys.SERVICES)))));
    List<RedisFuture<Long>> existing = new ArrayList<>();
    for (String name : names) {
      RedisKeys keys = new RedisKeys(name);
      existing.add(redis.exists(keys.descriptor(), keys.instances()));
    }
    List<String> live = new ArrayList<>();
    List<RedisFuture<Long>> removed = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      if (await(existing.get(i)) > 0) {
        live.add(names.get(i));
      } else {
        removed.add(redis.srem(RedisKeys.SERVICES, bytes(names.get(i))));
      }
    }
    // Done when this returns: whoever reads the index next no longer sees them.
    removed.forEach(this::await);
    return live;
  }

  /** The descriptor of {@code service} (JSON), or null when none is published. */
  public @Nullable String descriptor(String service) {
    byte[] value = await(redis.get(new RedisKeys(service).descriptor()));
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  /** The live instances of {@code service}, by id, with their hashes. */
  public List<InstanceRecord> instances(String service) {
    RedisKeys keys = new RedisKeys(service);
    long now = redisTimeMillis();
    List<ScoredValue<byte[]>> members =
        await(
            redis.zrangebyscoreWithScores(
                keys.instances(),
                Range.from(Range.Boundary.including(now), Range.Boundary.unbounded())));
    List<RedisFuture<Map<String, byte[]>>> hashes = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (ScoredValue<byte[]> member : members) {
      String id = new String(member.getValue(), StandardCharsets.UTF_8);
      ids.add(id);
      hashes.add(redis.hgetall(keys.instanceInfo(id)));
    }
    List<InstanceRecord> out = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      Map<String, String> fields = new LinkedHashMap<>();
      Map<String, byte[]> hash = await(hashes.get(i));
      if (hash != null) {
        hash.forEach((k, v) -> fields.put(k, new String(v, StandardCharsets.UTF_8)));
      }
      out.add(new InstanceRecord(ids.get(i), (long) members.get(i).getScore(), fields));
    }
    out.sort(java.util.Comparator.comparing(InstanceRecord::id));
    return out;
  }

  /**
   * The state of {@code service}'s request queue, read atomically on Redis' clock: the sum over its
   * partitions when its descriptor declares several.
   */
  public QueueRecord queue(String service) {
    List<CompletableFuture<List<Object>>> reads = new ArrayList<>();
    List<RedisFuture<Long>> dead = new ArrayList<>();
    for (RedisKeys partition : RedisKeys.partitions(service, partitions(service))) {
      reads.add(
          Scripts.QUEUE_STATS.run(
              redis,
              ScriptOutputType.MULTI,
              new String[] {partition.requests()},
              bytes(RedisKeys.GROUP)));
      dead.add(redis.xlen(partition.deadLetters()));
    }
    QueueRecord total = null;
    for (int i = 0; i < reads.size(); i++) {
      List<Object> r = await(reads.get(i));
      long deadLetters = await(dead.get(i));
      QueueRecord q =
          new QueueRecord(n(r, 0), n(r, 1), n(r, 2), n(r, 3), n(r, 4), n(r, 5), deadLetters);
      total =
          total == null
              ? q
              : new QueueRecord(
                  total.redisTimeMillis(),
                  total.length() + q.length(),
                  total.waiting() + q.waiting(),
                  total.running() + q.running(),
                  Math.max(total.oldestWaitingMillis(), q.oldestWaitingMillis()),
                  Math.max(total.oldestRunningMillis(), q.oldestRunningMillis()),
                  total.deadLetters() + q.deadLetters());
    }
    return total;
  }

  /** The partitions {@code service}'s descriptor declares; 1 without a descriptor. */
  int partitions(String service) {
    String descriptor = descriptor(service);
    return descriptor == null ? 1 : ServiceDescriptor.partitions(descriptor);
  }

  /** Redis' clock in ms. */
  public long redisTimeMillis() {
    List<byte[]> time = await(redis.time());
    long seconds = Long.parseLong(new String(time.get(0), StandardCharsets.US_ASCII));
    long micros = Long.parseLong(new String(time.get(1), StandardCharsets.US_ASCII));
    return seconds * 1000 + micros / 1000;
  }

  private static long n(List<Object> values, int i) {
    return ((Number) values.get(i)).longValue();
  }

  private <T> T await(java.util.concurrent.CompletionStage<T> future) {
    return wait.await(future);
  }

  private static List<String> texts(java.util.Collection<byte[]> values) {
    List<String> out = new ArrayList<>(values.size());
    for (byte[] v : values) {
      out.add(new String(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Nothing to close: the connection belongs to the root. */
  @Override
  public void close() {}
}
