package io.redisrpc.internal.transport;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.redisrpc.internal.connection.RedisLink;
import io.redisrpc.internal.registry.ServiceDescriptor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The dead-letter streams of a service in Redis, one per partition ({@code rpc:{S}:dead}, or {@code
 * rpc:{S#p.k}:dead}): read across the partitions in order of time, replayed into their partition's
 * request stream (REPLAY_DEAD_LETTER, through the liveness check), deleted. The number of
 * partitions is the descriptor's (1 without one).
 */
public final class DeadLetterStore {
  private static final byte[] STREAM_CAP = Scripts.bytes("1000000");

  /** Orders entries by time, then by partition: the order of {@link #read}. */
  private static final Comparator<Entry> ORDER =
      Comparator.<Entry, String>comparing(Entry::entryId, DeadLetterStore::compareIds)
          .thenComparingInt(Entry::partition);

  private final RedisClusterAsyncCommands<String, byte[]> redis;
  private final RegistryReader registry;
  private final RedisWait wait;

  /**
   * A dead letter as stored: its partition, its entry id in the dead-letter stream, and its fields
   * ({@code id}, {@code codec}, {@code payload}, {@code deliveries}, {@code error} as a server
   * writes them; whatever another writer put there).
   */
  public record Entry(int partition, String entryId, Map<String, byte[]> fields) {
    /** Copies {@code fields}. */
    public Entry {
      fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** Field {@code name} as UTF-8 text, or null when absent. */
    public @Nullable String text(String name) {
      byte[] value = fields.get(name);
      return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** Field {@code name} as bytes, or null when absent. */
    public byte @Nullable [] bytes(String name) {
      return fields.get(name);
    }

    /** When Redis appended it, in ms: the time part of its entry id. */
    public long appendedAtMillis() {
      return Long.parseUnsignedLong(entryId.substring(0, entryId.indexOf('-')));
    }
  }

  /** Where a page of {@link #read} ended: the last entry returned. */
  public record Position(int partition, String entryId) {}

  /** What replaying one dead letter did. */
  public enum Replay {
    /** Appended to the request stream again and deleted from the dead letters. */
    REPLAYED,
    /** No such dead letter (never was, or replayed or deleted meanwhile). */
    NOT_FOUND,
    /** No server of its partition is live: nothing changed. */
    NO_LIVE_SERVER,
    /** The dead letter has no codec or no payload, so no request to replay: nothing changed. */
    INCOMPLETE
  }

  private DeadLetterStore(RedisLink link, Duration timeout) {
    this.redis = link.commands();
    this.registry = RegistryReader.connect(link, timeout);
    this.wait = new RedisWait(timeout, "read or change the dead letters");
  }

  /** Works through {@code link}; each step fails after {@code timeout}. */
  public static DeadLetterStore connect(RedisLink link, Duration timeout) {
    return new DeadLetterStore(link, timeout);
  }

  /** How many partitions {@code service} has, by its descriptor; 1 without a descriptor. */
  public int partitions(String service) {
    return registry.partitions(service);
  }

  /** Whether the descriptor of {@code service} says its servers accept only signed requests. */
  public boolean signed(String service) {
    String descriptor = registry.descriptor(service);
    return descriptor != null && ServiceDescriptor.signed(descriptor);
  }

  /** Redis' clock in ms. */
  public long redisTimeMillis() {
    return registry.redisTimeMillis();
  }

  /** The number of dead letters of the {@code partitions} partitions of {@code service}. */
  public long count(String service, int partitions) {
    List<RedisFuture<Long>> lengths = new ArrayList<>();
    for (RedisKeys keys : RedisKeys.partitions(service, partitions)) {
      lengths.add(redis.xlen(keys.deadLetters()));
    }
    long total = 0;
    for (RedisFuture<Long> length : lengths) {
      total += wait.await(length);
    }
    return total;
  }

  /**
   * At most {@code limit} dead letters of the {@code partitions} partitions of {@code service}, the
   * oldest first (by entry id, then partition), after {@code after} when given.
   */
  public List<Entry> read(String service, int partitions, @Nullable Position after, int limit) {
    List<RedisKeys> all = RedisKeys.partitions(service, partitions);
    List<CompletableFuture<List<StreamMessage<String, byte[]>>>> reads = new ArrayList<>();
    for (RedisKeys keys : all) {
      String from =
          after == null
              ? "0-0"
              : keys.partition() <= after.partition() ? next(after.entryId()) : after.entryId();
      reads.add(
          from == null
              ? CompletableFuture.completedFuture(List.of())
              : redis
                  .xrange(
                      keys.deadLetters(),
                      Range.from(Range.Boundary.including(from), Range.Boundary.unbounded()),
                      Limit.from(limit))
                  .toCompletableFuture());
    }
    List<Entry> out = new ArrayList<>();
    for (int p = 0; p < all.size(); p++) {
      for (StreamMessage<String, byte[]> m : wait.await(reads.get(p))) {
        out.add(new Entry(p, m.getId(), m.getBody()));
      }
    }
    out.sort(ORDER);
    return out.size() <= limit ? out : List.copyOf(out.subList(0, limit));
  }

  /** Dead letter {@code entryId} of partition {@code partition} of {@code partitions}, or null. */
  public @Nullable Entry find(String service, int partitions, int partition, String entryId) {
    RedisKeys keys = RedisKeys.partitions(service, partitions).get(partition);
    List<StreamMessage<String, byte[]>> found =
        wait.await(redis.xrange(keys.deadLetters(), Range.create(entryId, entryId)));
    return found.isEmpty() ? null : new Entry(partition, entryId, found.get(0).getBody());
  }

  /**
   * Appends the request of each dead letter of {@code letters} to its partition's request stream,
   * when one of that partition's servers is live, and deletes the dead letter: one script per
   * letter, so that for each either both happen or neither. The scripts leave together; returns
   * what each did, in order.
   */
  public List<Replay> replay(String service, int partitions, List<Position> letters) {
    List<RedisKeys> all = RedisKeys.partitions(service, partitions);
    List<CompletableFuture<List<Object>>> runs = new ArrayList<>();
    for (Position letter : letters) {
      RedisKeys keys = all.get(letter.partition());
      runs.add(
          Scripts.REPLAY_DEAD_LETTER.run(
              redis,
              ScriptOutputType.MULTI,
              new String[] {keys.requests(), keys.instances(), keys.deadLetters()},
              Scripts.bytes(letter.entryId()),
              STREAM_CAP));
    }
    List<Replay> out = new ArrayList<>();
    for (CompletableFuture<List<Object>> run : runs) {
      long code = ((Number) wait.await(run).get(0)).longValue();
      out.add(
          code == 1
              ? Replay.REPLAYED
              : code == -1
                  ? Replay.NO_LIVE_SERVER
                  : code == -2 ? Replay.INCOMPLETE : Replay.NOT_FOUND);
    }
    return out;
  }

  /** Deletes dead letter {@code entryId} of partition {@code partition}; false when none was. */
  public boolean delete(String service, int partitions, int partition, String entryId) {
    RedisKeys keys = RedisKeys.partitions(service, partitions).get(partition);
    return wait.await(redis.xdel(keys.deadLetters(), entryId)) > 0;
  }

  /** Deletes every dead letter of the {@code partitions} partitions of {@code service}. */
  public long purge(String service, int partitions) {
    List<RedisFuture<Long>> trims = new ArrayList<>();
    for (RedisKeys keys : RedisKeys.partitions(service, partitions)) {
      // Exact MAXLEN 0: Redis answers how many entries it deleted, in the same step.
      trims.add(redis.xtrim(keys.deadLetters(), 0));
    }
    long total = 0;
    for (RedisFuture<Long> trim : trims) {
      total += wait.await(trim);
    }
    return total;
  }

  /** The entry id right after {@code id}, or null when there is none. */
  static @Nullable String next(String id) {
    int dash = id.indexOf('-');
    long ms = Long.parseUnsignedLong(id.substring(0, dash));
    long seq = Long.parseUnsignedLong(id.substring(dash + 1));
    if (seq != -1L) {
      return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq + 1);
    }
    return ms == -1L ? null : Long.toUnsignedString(ms + 1) + "-0";
  }

  /** Compares two entry ids ({@code ms-seq}, unsigned 64-bit parts) as Redis orders them. */
  static int compareIds(String a, String b) {
    int da = a.indexOf('-');
    int db = b.indexOf('-');
    int byTime =
        Long.compareUnsigned(
            Long.parseUnsignedLong(a.substring(0, da)), Long.parseUnsignedLong(b.substring(0, db)));
    return byTime != 0
        ? byTime
        : Long.compareUnsigned(
            Long.parseUnsignedLong(a.substring(da + 1)),
            Long.parseUnsignedLong(b.substring(db + 1)));
  }
}
