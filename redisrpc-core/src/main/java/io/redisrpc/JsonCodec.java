package io.redisrpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisrpc.internal.codec.JacksonValues;
import io.redisrpc.internal.codec.Mappers;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * The {@code json} codec, with redisrpc's Jackson mapper or one of yours: your modules, naming
 * strategy and serializers then shape the arguments and results.
 *
 * <pre>{@code
 * Codec json = JsonCodec.create(
 *     JsonCodec.defaultMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
 * }</pre>
 */
public final class JsonCodec implements Codec {
  private final JacksonValues values;

  private JsonCodec(ObjectMapper mapper) {
    this.values = new JacksonValues(mapper);
  }

  /** JSON with redisrpc's mapper (docs/PROTOCOL.md, section 8). */
  public static JsonCodec create() {
    return new JsonCodec(Mappers.json());
  }

  /**
   * JSON with a copy of {@code mapper}, which must write JSON. On the copy, class names from the
   * wire are refused (no default typing, no class-name type ids), whatever {@code mapper} allowed.
   *
   * @throws IllegalArgumentException when {@code mapper} writes another format
   */
  public static JsonCodec create(ObjectMapper mapper) {
    Objects.requireNonNull(mapper, "mapper == null");
    if (!mapper.getFactory().getFormatName().equals(JsonFactory.FORMAT_NAME_JSON)) {
      throw new IllegalArgumentException(
          "JsonCodec needs a mapper that writes JSON, not " + mapper.getFactory().getFormatName());
    }
    return new JsonCodec(Mappers.guarded(mapper.copy()));
  }

  /**
   * A new mapper configured as redisrpc's own (java.time, Optional, parameter names, exact numbers,
   * unknown properties ignored), to adjust and pass to {@link #create(ObjectMapper)}.
   */
  public static ObjectMapper defaultMapper() {
    return Mappers.json();
  }

  /** A copy of this codec's mapper. */
  public ObjectMapper mapper() {
    return values.mapperCopy();
  }

  @Override
  public String name() {
    return "json";
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
