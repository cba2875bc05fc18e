package io.redisrpc;

import io.redisrpc.internal.codec.RequestSummary;
import io.redisrpc.internal.transport.DeadLetterStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A call of an idempotent endpoint that was delivered too often without completing (its servers
 * kept dying while running it) and was moved to its service's dead-letter stream, as {@link
 * DeadLetters} reads it. Immutable.
 *
 * <p>What the stored request says is decoded without the service's Java types, from either codec:
 * its method, call id, reply channel, timeout, headers and arguments (as JSON text, {@code byte[]}
 * as Base64 strings). A payload that cannot be decoded is still listed, with {@link #problem()}
 * saying why and what the dead-letter stream itself records (ids, deliveries, error, time).
 */
public final class DeadLetter {
  private final String service;
  private final int partition;
  private final int partitions;
  private final String entryId;
  private final String requestId;
  private final String codec;
  private final long deliveries;
  private final String error;
  private final Instant deadLetteredAt;
  private final Duration age;
  private final RequestSummary request;

  private DeadLetter(
      String service,
      int partition,
      int partitions,
      String entryId,
      String requestId,
      String codec,
      long deliveries,
      String error,
      Instant deadLetteredAt,
      Duration age,
      RequestSummary request) {
    this.service = service;
    this.partition = partition;
    this.partitions = partitions;
    this.entryId = entryId;
    this.requestId = requestId;
    this.codec = codec;
    this.deliveries = deliveries;
    this.error = error;
    this.deadLetteredAt = deadLetteredAt;
    this.age = age;
    this.request = request;
  }

  /**
   * The public form of {@code entry}, a dead letter of {@code service} of {@code partitions}
   * partitions, read when Redis' clock said {@code redisNowMillis}.
   */
  static DeadLetter of(
      String service, int partitions, DeadLetterStore.Entry entry, long redisNowMillis) {
    String codec = entry.text("codec");
    long appended = entry.appendedAtMillis();
    return new DeadLetter(
        service,
        entry.partition(),
        partitions,
        entry.entryId(),
        Objects.requireNonNullElse(entry.text("id"), ""),
        Objects.requireNonNullElse(codec, ""),
        deliveries(entry.text("deliveries")),
        Objects.requireNonNullElse(entry.text("error"), ""),
        Instant.ofEpochMilli(appended),
        Duration.ofMillis(Math.max(0, redisNowMillis - appended)),
        RequestSummary.read(codec, entry.bytes("payload")));
  }

  private static long deliveries(@Nullable String text) {
    try {
      return text == null ? -1 : Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The service. */
  public String service() {
    return service;
  }

  /**
   * The id naming it among the dead letters of its service, what {@link DeadLetters#replay(String,
   * String)} and {@link DeadLetters#purge(String, String)} take: its entry id in the dead-letter
   * stream, e.g. {@code 1795568867923-0}; for a partitioned service preceded by its partition and a
   * slash, e.g. {@code 2/1795568867923-0}.
   */
  public String id() {
    return partitions > 1 ? partition + "/" + entryId : entryId;
  }

  /** Its entry id in its partition's dead-letter stream, e.g. {@code 1795568867923-0}. */
  public String entryId() {
    return entryId;
  }

  /** Its partition, from 0; always 0 for a service of one partition. */
  public int partition() {
    return partition;
  }

  /** How many partitions its service had when it was read. */
  int partitions() {
    return partitions;
  }

  /** The entry id the request had in the request stream; empty when not recorded. */
  public String requestId() {
    return requestId;
  }

  /** The codec of its payload: {@code json} or {@code msgpack}; empty when not recorded. */
  public String codec() {
    return codec;
  }

  /** How many times it was delivered without completing; -1 when not recorded. */
  public long deliveries() {
    return deliveries;
  }

  /** Why it was moved to the dead letters: the last error, as the server wrote it. */
  public String error() {
    return error;
  }

  /** When it was moved to the dead letters, by Redis' clock (the time part of its entry id). */
  public Instant deadLetteredAt() {
    return deadLetteredAt;
  }

  /** How long it had been dead when it was read, by Redis' clock. */
  public Duration age() {
    return age;
  }

  /** The endpoint called; empty when the payload does not say. */
  public Optional<String> method() {
    return Optional.ofNullable(request.method());
  }

  /** The call's id, unique across client instances; empty when the payload does not say. */
  public Optional<String> callId() {
    return Optional.ofNullable(request.callId());
  }

  /** The reply channel of the client that made the call; empty when the payload does not say. */
  public Optional<String> replyTo() {
    return Optional.ofNullable(request.replyTo());
  }

  /** The time the caller gave the call; empty when it gave none or the payload does not say. */
  public Optional<Duration> timeout() {
    Long ms = request.timeoutMillis();
    return ms == null || ms <= 0 ? Optional.empty() : Optional.of(Duration.ofMillis(ms));
  }

  /** The call's headers. */
  public Map<String, String> headers() {
    return request.headers();
  }

  /**
   * The arguments as a JSON array, one element per parameter; empty when the payload cannot be
   * decoded or has none.
   */
  public Optional<String> argumentsJson() {
    return Optional.ofNullable(request.argumentsJson());
  }

  /**
   * Whether the request was signed with a shared secret (it carries {@code sent_at_ms}). A dead
   * letter keeps no signature, and servers refuse a signed request after its replay window, so such
   * a dead letter cannot be replayed.
   */
  public boolean signed() {
    return request.sentAtMillis() != null;
  }

  /** Why the payload could not be decoded; empty when it could. */
  public Optional<String> problem() {
    return Optional.ofNullable(request.problem());
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof DeadLetter d
        && d.service.equals(service)
        && d.partition == partition
        && d.entryId.equals(entryId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(service, partition, entryId);
  }

  @Override
  public String toString() {
    return "DeadLetter{"
        + service
        + " "
        + id()
        + " "
        + method().orElse("?")
        + ", "
        + deliveries
        + " deliveries, "
        + error
        + "}";
  }
}
