package io.redisrpc.internal.transport;

import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.output.CommandOutput;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The reply of {@code XREADGROUP} on one stream as {@link RequestEntry} values, each entry's fields
 * in the order Redis sent them. Lettuce's own output keeps fields in a map, where a field written
 * twice into an entry would silently lose one of its values.
 *
 * <p>The reply is {@code [[stream, [[id, [field, value, ...]], ...]]]} in RESP2 and {@code {stream:
 * [[id, [field, value, ...]], ...]}} in RESP3, or null when the read timed out; an entry deleted
 * after it was delivered has a null field list. Only the sequence of values and array headers is
 * used, so both shapes read alike.
 */
final class StreamEntriesOutput extends CommandOutput<String, byte[], List<RequestEntry>> {
  private enum Expect {
    STREAM_NAME,
    ENTRIES,
    ENTRY,
    ID,
    FIELDS,
    FIELD
  }

  private Expect expect = Expect.STREAM_NAME;
  private @Nullable String id;
  private @Nullable List<Object> fields;
  private int remaining;

  private final RedisKeys keys;

  /** Reads the entries of the stream of {@code keys}. */
  StreamEntriesOutput(RedisCodec<String, byte[]> codec, RedisKeys keys) {
    super(codec, new ArrayList<>());
    this.keys = keys;
  }

  @Override
  public void set(@Nullable ByteBuffer bytes) {
    switch (expect) {
      case STREAM_NAME:
        if (bytes != null) {
          expect = Expect.ENTRIES;
        }
        break;
      case ID:
        id = bytes == null ? "" : decodeString(bytes);
        expect = Expect.FIELDS;
        break;
      case FIELDS:
        // RESP3 null: an entry deleted after delivery.
        finishEntry(null);
        break;
      case FIELD:
        byte[] value = bytes == null ? null : new byte[bytes.remaining()];
        if (bytes != null) {
          bytes.get(value);
        }
        fields.add(value);
        if (--remaining == 0) {
          finishEntry(fields);
        }
        break;
      default:
        break;
    }
  }

  @Override
  public void multi(int count) {
    switch (expect) {
      case ENTRIES:
        expect = Expect.ENTRY;
        break;
      case ENTRY:
        expect = Expect.ID;
        break;
      case FIELDS:
        if (count <= 0) {
          finishEntry(count == 0 ? new ArrayList<>() : null);
        } else {
          fields = new ArrayList<>(count);
          remaining = count;
          expect = Expect.FIELD;
        }
        break;
      default:
        break;
    }
  }

  private void finishEntry(@Nullable List<Object> entryFields) {
    if (entryFields != null && id != null) {
      output.add(RequestEntry.of(id, entryFields, 1, keys));
    }
    id = null;
    fields = null;
    expect = Expect.ENTRY;
  }
}
