package io.redisrpc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Writes and reads the values of one type inside a message of its {@link Codec}: one argument, or a
 * result. Made once per type when a client or server is built, and used by many calls at once: it
 * must be thread-safe.
 *
 * @param <T> the type of the values
 */
public interface ValueCodec<T> {
  /** Writes {@code value} as the next value of {@code out}: one scalar, array or map. */
  void write(JsonGenerator out, @Nullable T value) throws IOException;

  /**
   * Reads the value {@code in} stands at the first token of ({@link JsonParser#currentToken()}),
   * leaving it at the value's last token.
   */
  @Nullable T read(JsonParser in) throws IOException;
}
