package io.redisrpc;

import io.redisrpc.internal.transport.DeadLetterStore;
import io.redisrpc.internal.transport.DeadLetterStore.Entry;
import io.redisrpc.internal.transport.DeadLetterStore.Position;
import io.redisrpc.internal.transport.DeadLetterStore.Replay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The dead letters of services, operated: calls of idempotent endpoints that were delivered {@code
 * maxDeliveries} times without completing (their servers kept dying while running them) wait in
 * their service's dead-letter stream ({@code rpc:{S}:dead}, one per partition), where this lists
 * them, replays them and deletes them. Works for any service without its Java interface.
 *
 * <pre>{@code
 * try (DeadLetters dead = DeadLetters.connect("redis://localhost:6379")) {
 *   for (DeadLetter letter : dead.list("Orders", 100)) {
 *     System.out.println(
 *         letter.id() + " " + letter.method().orElse("?") + letter.argumentsJson().orElse(""));
 *   }
 *   dead.replay("Orders", "1795568867923-0"); // runs again on a live server
 *   dead.purge("Orders");                     // deletes the others
 * }
 * }</pre>
 *
 * <p><b>Replaying</b> appends the stored request, unchanged, to its partition's request stream
 * through the liveness check, and deletes the dead letter, in one step: either both happen or
 * neither. A server then runs the call again (at least once more: it may have run partly before),
 * with its original timeout counted from the replay. Its caller was answered {@code UNAVAILABLE}
 * long ago: the reply goes to the caller's old reply channel, where a client still subscribed drops
 * it (its call is over) and otherwise it is parked until the new deadline and then expires. A
 * signed request cannot be replayed: a dead letter keeps no signature, and servers refuse a signed
 * request past its replay window. docs/PROTOCOL.md, section 10, has the details.
 *
 * <p>The number of partitions of a service is read from its descriptor, which its servers keep
 * while they run; without one (no server for a while) a service counts as having one partition.
 * Thread-safe; holds no connection of its own beyond the root's.
 */
public final class DeadLetters implements AutoCloseable {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern ID = Pattern.compile("(?:(\\d{1,3})/)?(\\d{1,20}-\\d{1,20})");

  /** How many dead letters {@link #replayAll} reads and replays at a time. */
  private static final int PAGE = 100;

  private final DeadLetterStore store;
  private final @Nullable RedisRpc ownedRoot;

  private DeadLetters(DeadLetterStore store, @Nullable RedisRpc ownedRoot) {
    this.store = store;
    this.ownedRoot = ownedRoot;
  }

  /**
   * Connects to the Redis at {@code dsn}, with a root of its own that {@link #close()} closes.
   *
   * @throws NotConnectedException when Redis cannot be reached
   * @throws IllegalArgumentException when {@code dsn} is not a Redis URI
   */
  public static DeadLetters connect(String dsn) {
    return connect(dsn, DEFAULT_TIMEOUT);
  }

  /** Connects to the Redis at {@code dsn}, failing steps that take longer than {@code timeout}. */
  public static DeadLetters connect(String dsn, Duration timeout) {
    Objects.requireNonNull(dsn, "dsn == null");
    Objects.requireNonNull(timeout, "timeout == null");
    DeadLetterStore[] store = new DeadLetterStore[1];
    RedisRpc root =
        RedisRpc.privateRoot(dsn, r -> store[0] = DeadLetterStore.connect(r.link(), timeout));
    return new DeadLetters(store[0], root);
  }

  /** Works through {@code redis}, which stays open when this is closed. */
  public static DeadLetters connect(RedisRpc redis) {
    return connect(redis, DEFAULT_TIMEOUT);
  }

  /** Works through {@code redis}, failing steps that take longer than {@code timeout}. */
  public static DeadLetters connect(RedisRpc redis, Duration timeout) {
    Objects.requireNonNull(redis, "redis == null");
    Objects.requireNonNull(timeout, "timeout == null");
    return new DeadLetters(DeadLetterStore.connect(redis.link(), timeout), null);
  }

  /** How many dead letters {@code service} has, over all its partitions. */
  public long count(String service) {
    RpcRegistry.check(service);
    return store.count(service, store.partitions(service));
  }

  /**
   * The oldest {@code limit} dead letters of {@code service}, over all its partitions, in the order
   * they died (then by partition). For the next ones, {@link #listAfter} the last of these.
   *
   * @throws IllegalArgumentException when {@code limit} is below 1, or {@code service} is not a
   *     service name
   */
  public List<DeadLetter> list(String service, int limit) {
    RpcRegistry.check(service);
    return read(service, store.partitions(service), null, limit);
  }

  /** The {@code limit} dead letters of the same service that come after {@code last}. */
  public List<DeadLetter> listAfter(DeadLetter last, int limit) {
    Objects.requireNonNull(last, "last == null");
    return read(
        last.service(), last.partitions(), new Position(last.partition(), last.entryId()), limit);
  }

  private List<DeadLetter> read(
      String service, int partitions, @Nullable Position after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    long now = store.redisTimeMillis();
    List<DeadLetter> out = new ArrayList<>();
    for (Entry e : store.read(service, partitions, after, limit)) {
      out.add(DeadLetter.of(service, partitions, e, now));
    }
    return out;
  }

  /**
   * Dead letter {@code id} of {@code service}: its {@link DeadLetter#id()}, or for a partitioned
   * service its entry id alone when no other partition has a dead letter of that entry id.
   *
   * @throws IllegalArgumentException when {@code id} is not a dead-letter id, names a partition the
   *     service does not have, or is in several partitions
   */
  public Optional<DeadLetter> find(String service, String id) {
    RpcRegistry.check(service);
    Objects.requireNonNull(id, "id == null");
    Matcher m = ID.matcher(id.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + id + "' is not a dead-letter id: expected an entry id such as 1795568867923-0");
    }
    int partitions = store.partitions(service);
    String entryId = m.group(2);
    List<Integer> where = new ArrayList<>();
    if (m.group(1) != null) {
      int partition = Integer.parseInt(m.group(1));
      if (partition >= partitions) {
        throw new IllegalArgumentException(
            service + " has " + partitions + " partition(s), no partition " + partition);
      }
      where.add(partition);
    } else {
      for (int p = 0; p < partitions; p++) {
        where.add(p);
      }
    }
    long now = store.redisTimeMillis();
    List<DeadLetter> found = new ArrayList<>();
    for (int p : where) {
      Entry entry = store.find(service, partitions, p, entryId);
      if (entry != null) {
        found.add(DeadLetter.of(service, partitions, entry, now));
      }
    }
    if (found.size() > 1) {
      throw new IllegalArgumentException(
          "dead letter "
              + entryId
              + " of "
              + service
              + " is in several partitions: name one, as "
              + String.join(" or ", found.stream().map(DeadLetter::id).toList()));
    }
    return found.stream().findFirst();
  }

  /**
   * Replays dead letter {@code id} of {@code service} (as {@link #find} takes it): see {@link
   * #replay(DeadLetter)}.
   *
   * @throws NoSuchElementException when {@code service} has no such dead letter
   */
  public DeadLetter replay(String service, String id) {
    return replay(existing(service, id));
  }

  /**
   * Appends the request of {@code letter} to its partition's request stream again, unchanged, and
   * deletes the dead letter, in one step, when a server of that partition is live. A server then
   * runs the call again; its reply goes to the original caller's reply channel, which long stopped
   * waiting for it. Returns {@code letter}.
   *
   * @throws NotConnectedException when no server of its partition is live: nothing changed
   * @throws NoSuchElementException when it is no longer there (replayed or deleted meanwhile)
   * @throws IllegalStateException when it cannot be replayed: it was signed, its service accepts
   *     only signed requests, or its payload cannot be decoded
   */
  public DeadLetter replay(DeadLetter letter) {
    Objects.requireNonNull(letter, "letter == null");
    String service = letter.service();
    String why = unreplayable(letter);
    if (why == null && store.signed(service)) {
      why = service + " accepts only signed requests, and a dead letter keeps no signature";
    }
    if (why != null) {
      throw new IllegalStateException(
          "dead letter " + letter.id() + " of " + service + " cannot be replayed: " + why);
    }
    Replay outcome =
        store
            .replay(
                service,
                letter.partitions(),
                List.of(new Position(letter.partition(), letter.entryId())))
            .get(0);
    switch (outcome) {
      case REPLAYED:
        return letter;
      case NO_LIVE_SERVER:
        throw noLiveServer(letter, 0);
      case INCOMPLETE:
        throw new IllegalStateException(
            "dead letter " + letter.id() + " of " + service + " has no codec or no payload");
      default:
        throw new NoSuchElementException(
            "no dead letter "
                + letter.id()
                + " of "
                + service
                + " (replayed or deleted meanwhile)");
    }
  }

  /**
   * Replays every dead letter {@code service} had when this was called, oldest first, as {@link
   * #replay(DeadLetter)} does, page by page; those that cannot be replayed (signed, undecodable)
   * are left where they are, and so are the dead letters that arrive meanwhile. Returns those
   * replayed.
   *
   * @throws NotConnectedException when no server of a partition is live; the dead letters replayed
   *     until then stay replayed, the message says how many
   * @throws IllegalStateException when the service accepts only signed requests
   */
  public List<DeadLetter> replayAll(String service) {
    RpcRegistry.check(service);
    int partitions = store.partitions(service);
    if (store.signed(service)) {
      throw new IllegalStateException(
          "the dead letters of "
              + service
              + " cannot be replayed: it accepts only signed requests, and a dead letter keeps no"
              + " signature");
    }
    long until = store.redisTimeMillis();
    List<DeadLetter> replayed = new ArrayList<>();
    Position after = null;
    while (true) {
      List<Entry> page = store.read(service, partitions, after, PAGE);
      List<DeadLetter> batch = new ArrayList<>();
      boolean done = page.size() < PAGE;
      for (Entry e : page) {
        if (e.appendedAtMillis() > until) {
          done = true;
          break;
        }
        DeadLetter letter = DeadLetter.of(service, partitions, e, until);
        if (unreplayable(letter) == null) {
          batch.add(letter);
        }
      }
      List<Replay> outcomes =
          store.replay(
              service,
              partitions,
              batch.stream().map(l -> new Position(l.partition(), l.entryId())).toList());
      DeadLetter stranded = null;
      for (int i = 0; i < batch.size(); i++) {
        if (outcomes.get(i) == Replay.REPLAYED) {
          replayed.add(batch.get(i));
        } else if (outcomes.get(i) == Replay.NO_LIVE_SERVER && stranded == null) {
          stranded = batch.get(i);
        }
      }
      if (stranded != null) {
        throw noLiveServer(stranded, replayed.size());
      }
      if (done) {
        return replayed;
      }
      Entry last = page.get(page.size() - 1);
      after = new Position(last.partition(), last.entryId());
    }
  }

  /** Why {@code letter} cannot be replayed, judging by itself; null when it can. */
  private static @Nullable String unreplayable(DeadLetter letter) {
    if (letter.signed()) {
      return "it was signed, a dead letter keeps no signature, and servers refuse a signed request"
          + " past its replay window";
    }
    return letter.problem().map(p -> "its payload cannot be decoded (" + p + ")").orElse(null);
  }

  private static NotConnectedException noLiveServer(DeadLetter letter, int replayedBefore) {
    return new NotConnectedException(
        "No live server of "
            + letter.service()
            + (letter.partitions() > 1
                ? " in partition " + letter.partition() + " of " + letter.partitions()
                : "")
            + " to replay dead letter "
            + letter.id()
            + "; it stays in the dead letters"
            + (replayedBefore > 0 ? " (" + replayedBefore + " replayed before it)" : ""));
  }

  /**
   * Deletes dead letter {@code id} of {@code service} (as {@link #find} takes it); returns it.
   *
   * @throws NoSuchElementException when {@code service} has no such dead letter
   */
  public DeadLetter purge(String service, String id) {
    DeadLetter letter = existing(service, id);
    if (!store.delete(service, letter.partitions(), letter.partition(), letter.entryId())) {
      throw new NoSuchElementException(
          "no dead letter " + letter.id() + " of " + service + " (replayed or deleted meanwhile)");
    }
    return letter;
  }

  /** Deletes every dead letter of {@code service}, over all its partitions; returns how many. */
  public long purge(String service) {
    RpcRegistry.check(service);
    return store.purge(service, store.partitions(service));
  }

  private DeadLetter existing(String service, String id) {
    return find(service, id)
        .orElseThrow(() -> new NoSuchElementException("no dead letter " + id + " of " + service));
  }

  /** Closes the connections it owns (none when connected through a {@link RedisRpc}). */
  @Override
  public void close() {
    if (ownedRoot != null) {
      ownedRoot.close();
    }
  }
}
