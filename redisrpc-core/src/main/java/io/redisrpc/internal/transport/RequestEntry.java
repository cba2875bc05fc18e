package io.redisrpc.internal.transport;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a request stream as read, fields kept as Redis returned them so that an entry naming
 * a field twice is noticed rather than silently collapsed into one value.
 *
 * @param id the entry id
 * @param codec the {@code codec} field, or null
 * @param payload the {@code payload} field, or null
 * @param signature the {@code sig} field, or null
 * @param enqueuedAt the {@code t} field written by ENQUEUE (Redis time in ms), or -1 when absent or
 *     not a number
 * @param duplicateField a field name the entry has more than once, or null
 * @param deliveries how often the entry has been delivered, this time included
 * @param keys the names of the partition whose stream holds the entry
 * @param takenAtNanos {@link System#nanoTime()} when the server read the entry
 */
public record RequestEntry(
    String id,
    byte @Nullable [] codec,
    byte @Nullable [] payload,
    byte @Nullable [] signature,
    long enqueuedAt,
    @Nullable String duplicateField,
    long deliveries,
    RedisKeys keys,
    long takenAtNanos) {

  /**
   * How the handles of broadcast requests start: never the start of a stream entry id, which is a
   * number.
   */
  private static final String BROADCAST_PREFIX = "b";

  /**
   * Broadcast request number {@code n} of this server instance, heard on the broadcast channel at
   * {@code receivedAt} (Redis' clock): not in any stream, so nothing to acknowledge, and taken
   * once.
   */
  static RequestEntry broadcast(
      long n, byte[] codec, byte[] payload, long receivedAt, RedisKeys keys) {
    return new RequestEntry(
        BROADCAST_PREFIX + n, codec, payload, null, receivedAt, null, 1, keys, System.nanoTime());
  }

  /** Whether this request came on the broadcast channel rather than from a stream. */
  public boolean broadcast() {
    return EntryHandle.isBroadcast(id);
  }

  /** The entry {@code id} with alternating field names and values. */
  static RequestEntry of(String id, List<?> fieldsAndValues, long deliveries, RedisKeys keys) {
    byte[] codec = null;
    byte[] payload = null;
    byte[] signature = null;
    long enqueuedAt = -1;
    String duplicate = null;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i + 1 < fieldsAndValues.size(); i += 2) {
      String field = text(fieldsAndValues.get(i));
      Object value = fieldsAndValues.get(i + 1);
      if (!seen.add(field) && duplicate == null) {
        duplicate = field;
      }
      switch (field) {
        case "codec":
          codec = bytes(value);
          break;
        case "payload":
          payload = bytes(value);
          break;
        case "sig":
          signature = bytes(value);
          break;
        case "t":
          enqueuedAt = millis(bytes(value));
          break;
        default:
          break;
      }
    }
    return new RequestEntry(
        id, codec, payload, signature, enqueuedAt, duplicate, deliveries, keys, System.nanoTime());
  }

  /** This entry under another id: how a server names it ({@code EntryHandle}). */
  RequestEntry withId(String newId) {
    return newId.equals(id)
        ? this
        : new RequestEntry(
            newId,
            codec,
            payload,
            signature,
            enqueuedAt,
            duplicateField,
            deliveries,
            keys,
            takenAtNanos);
  }

  /** The millisecond part of the entry id (Redis' clock when appended with {@code *}), or -1. */
  public long idMillis() {
    int dash = id.indexOf('-');
    try {
      return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
    } catch (NumberFormatException e) {
      // Past Long.MAX_VALUE: as far in the future as a long can say.
      return id.isEmpty() || !Character.isDigit(id.charAt(0)) ? -1 : Long.MAX_VALUE;
    }
  }

  private static long millis(byte @Nullable [] value) {
    if (value == null || value.length == 0 || value.length > 18) {
      return -1;
    }
    long n = 0;
    for (byte b : value) {
      if (b < '0' || b > '9') {
        return -1;
      }
      n = n * 10 + (b - '0');
    }
    return n;
  }

  private static byte @Nullable [] bytes(@Nullable Object value) {
    if (value == null) {
      return null;
    }
    return value instanceof byte[]
        ? (byte[]) value
        : String.valueOf(value).getBytes(StandardCharsets.UTF_8);
  }

  private static String text(@Nullable Object value) {
    return value instanceof byte[]
        ? new String((byte[]) value, StandardCharsets.UTF_8)
        : String.valueOf(value);
  }
}
