package io.redisrpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisrpc.internal.codec.JacksonValues;
import io.redisrpc.internal.codec.Mappers;
import java.lang.reflect.Type;
import java.util.Objects;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * The {@code msgpack} codec, with redisrpc's Jackson mapper or one of yours (on a {@code
 * MessagePackFactory}): your modules, naming strategy and serializers then shape the arguments and
 * results.
 */
public final class MessagePackCodec implements Codec {
  private final JacksonValues values;

  private MessagePackCodec(ObjectMapper mapper) {
    this.values = new JacksonValues(mapper);
  }

  /** MessagePack with redisrpc's mapper (docs/PROTOCOL.md, section 8). */
  public static MessagePackCodec create() {
    return new MessagePackCodec(Mappers.msgpack());
  }

  /**
   * MessagePack with a copy of {@code mapper}, which must be built on a {@code MessagePackFactory}.
   * On the copy, class names from the wire are refused (no default typing, no class-name type ids),
   * whatever {@code mapper} allowed.
   *
   * @throws IllegalArgumentException when {@code mapper} writes another format
   */
  public static MessagePackCodec create(ObjectMapper mapper) {
    Objects.requireNonNull(mapper, "mapper == null");
    if (!(mapper.getFactory() instanceof MessagePackFactory)) {
      throw new IllegalArgumentException(
          "MessagePackCodec needs a mapper on a MessagePackFactory, not "
              + mapper.getFactory().getFormatName());
    }
    return new MessagePackCodec(Mappers.guarded(mapper.copy()));
  }

  /**
   * A new mapper configured as redisrpc's own (java.time, Optional, parameter names, decimals as
   * strings, unknown properties ignored), to adjust and pass to {@link #create(ObjectMapper)}.
   */
  public static ObjectMapper defaultMapper() {
    return Mappers.msgpack();
  }

  /** A copy of this codec's mapper. */
  public ObjectMapper mapper() {
    return values.mapperCopy();
  }

  @Override
  public String name() {
    return "msgpack";
  }

  @Override
  public JsonFactory format() {
    return values.format();
  }

  /** Every type: Jackson encodes it, or fails when a call carries a value it cannot encode. */
  @Override
  public ValueCodec<?> valueCodec(Type type) {
    return values.of(type);
  }

  @Override
  public String toString() {
    return name();
  }
}
