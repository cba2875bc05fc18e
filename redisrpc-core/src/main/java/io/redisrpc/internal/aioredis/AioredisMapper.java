package io.redisrpc.internal.aioredis;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import io.redisrpc.internal.codec.Mappers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.UUID;
import java.util.function.Function;
import org.msgpack.jackson.dataformat.ExtensionTypeCustomDeserializers;
import org.msgpack.jackson.dataformat.MessagePackExtensionType;
import org.msgpack.jackson.dataformat.MessagePackFactory;
import org.msgpack.jackson.dataformat.MessagePackGenerator;

/**
 * The Jackson mapper of the aioredis-rpc protocol: MessagePack through {@link MessagePackFactory},
 * property names in snake_case (as pydantic field names usually are; an explicit
 * {@code @JsonProperty} wins), and the seed's two ext types:
 *
 * <ul>
 *   <li>ext type {@value #DATETIME_EXT}, a datetime: 8 bytes, a float64 in little-endian order
 *       holding seconds since the epoch; for {@link Instant}, {@link OffsetDateTime}, {@link
 *       ZonedDateTime}, {@link LocalDateTime} (as local time in the JVM's zone, as Python reads a
 *       naive datetime) and {@link Date}. The float keeps microseconds, as Python's datetime.
 *   <li>ext type {@value #UUID_EXT}, a UUID: its 16 bytes, most significant first; for {@link
 *       UUID}.
 * </ul>
 *
 * <p>Both ext types decode into {@link Instant} and {@link UUID} where the target type is {@code
 * Object} (through the factory's {@link ExtensionTypeCustomDeserializers}). Floats are written as
 * float64, as Python writes every float.
 */
public final class AioredisMapper {
  /** The seed's ext type of {@code datetime}. */
  public static final byte DATETIME_EXT = 23;

  /** The seed's ext type of {@code UUID}. */
  public static final byte UUID_EXT = 25;

  private static final ObjectMapper MAPPER = create();

  private AioredisMapper() {}

  /** The shared mapper. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  private static ObjectMapper create() {
    ExtensionTypeCustomDeserializers extensions = new ExtensionTypeCustomDeserializers();
    extensions.addCustomDeser(DATETIME_EXT, AioredisMapper::decodeDatetime);
    extensions.addCustomDeser(UUID_EXT, AioredisMapper::decodeUuid);
    MessagePackFactory factory = new MessagePackFactory().setExtTypeCustomDesers(extensions);
    // The native codecs' configuration (exact dates and numbers, no class names from the wire),
    // plus the seed's extension types, registered last to win over JavaTimeModule, and its names.
    ObjectMapper mapper = Mappers.msgpack(factory);
    mapper.registerModule(extensionModule());
    mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    return mapper;
  }

  private static SimpleModule extensionModule() {
    SimpleModule module = new SimpleModule("aioredis-rpc-ext");
    module.addSerializer(Instant.class, new DatetimeSerializer<>(Instant.class, i -> i));
    module.addSerializer(
        OffsetDateTime.class,
        new DatetimeSerializer<>(OffsetDateTime.class, OffsetDateTime::toInstant));
    module.addSerializer(
        ZonedDateTime.class,
        new DatetimeSerializer<>(ZonedDateTime.class, ZonedDateTime::toInstant));
    module.addSerializer(
        LocalDateTime.class,
        new DatetimeSerializer<>(
            LocalDateTime.class, t -> t.atZone(ZoneId.systemDefault()).toInstant()));
    module.addSerializer(Date.class, new DatetimeSerializer<>(Date.class, Date::toInstant));
    module.addSerializer(UUID.class, new UuidSerializer());
    module.addSerializer(Float.class, new FloatAsDoubleSerializer(Float.class));
    module.addSerializer(float.class, new FloatAsDoubleSerializer(float.class));

    module.addDeserializer(Instant.class, new DatetimeDeserializer<>(Instant.class, i -> i));
    module.addDeserializer(
        OffsetDateTime.class,
        new DatetimeDeserializer<>(
            OffsetDateTime.class, i -> OffsetDateTime.ofInstant(i, ZoneId.systemDefault())));
    module.addDeserializer(
        ZonedDateTime.class,
        new DatetimeDeserializer<>(
            ZonedDateTime.class, i -> ZonedDateTime.ofInstant(i, ZoneId.systemDefault())));
    module.addDeserializer(
        LocalDateTime.class,
        new DatetimeDeserializer<>(
            LocalDateTime.class, i -> LocalDateTime.ofInstant(i, ZoneId.systemDefault())));
    module.addDeserializer(Date.class, new DatetimeDeserializer<>(Date.class, Date::from));
    module.addDeserializer(UUID.class, new UuidDeserializer());
    return module;
  }

  // ------------------------------------------------------------------ datetime, ext type 23

  /** The 8 bytes of ext type 23 for {@code instant}: seconds since the epoch, float64, LE. */
  public static byte[] encodeDatetime(Instant instant) {
    // As Python's datetime.timestamp() of an aware datetime: whole microseconds / 10**6, correctly
    // rounded. Below a microsecond is lost, as Python's datetime has no more.
    long micros =
        Math.addExact(
            Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    double seconds = (double) micros / 1e6;
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(seconds).array();
  }

  /** The instant ext type 23 holds, rounded to the microsecond as Python's fromtimestamp(). */
  public static Instant decodeDatetime(byte[] data) throws IOException {
    if (data.length != 8) {
      throw new IOException("a datetime (ext type 23) has 8 bytes, not " + data.length);
    }
    double seconds = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getDouble();
    return instantOfSeconds(seconds);
  }

  static Instant instantOfSeconds(double seconds) throws IOException {
    if (!Double.isFinite(seconds) || Math.abs(seconds) > 1e14) {
      throw new IOException("datetime out of range: " + seconds);
    }
    double whole = Math.floor(seconds);
    long micros = (long) Math.rint((seconds - whole) * 1e6);
    long epochSecond = (long) whole;
    if (micros >= 1_000_000) {
      epochSecond++;
      micros -= 1_000_000;
    }
    try {
      return Instant.ofEpochSecond(epochSecond, micros * 1000);
    } catch (DateTimeException e) {
      throw new IOException("datetime out of range: " + seconds, e);
    }
  }

  // ------------------------------------------------------------------ UUID, ext type 25

  /** The 16 bytes of ext type 25 for {@code uuid}. */
  public static byte[] encodeUuid(UUID uuid) {
    return ByteBuffer.allocate(16)
        .putLong(uuid.getMostSignificantBits())
        .putLong(uuid.getLeastSignificantBits())
        .array();
  }

  /** The UUID ext type 25 holds. */
  public static UUID decodeUuid(byte[] data) throws IOException {
    if (data.length != 16) {
      throw new IOException("a UUID (ext type 25) has 16 bytes, not " + data.length);
    }
    ByteBuffer b = ByteBuffer.wrap(data);
    return new UUID(b.getLong(), b.getLong());
  }

  private static void writeExtension(JsonGenerator g, byte type, byte[] data) throws IOException {
    MessagePackExtensionType extension = new MessagePackExtensionType(type, data);
    if (g instanceof MessagePackGenerator) {
      ((MessagePackGenerator) g).writeExtensionType(extension);
    } else {
      // A TokenBuffer (or another generator) keeps the value for whoever reads it back.
      g.writeEmbeddedObject(extension);
    }
  }

  private static final class DatetimeSerializer<T> extends StdScalarSerializer<T> {
    private static final long serialVersionUID = 1L;
    private final transient Function<T, Instant> toInstant;

    DatetimeSerializer(Class<T> type, Function<T, Instant> toInstant) {
      super(type);
      this.toInstant = toInstant;
    }

    @Override
    public void serialize(T value, JsonGenerator g, SerializerProvider provider)
        throws IOException {
      writeExtension(g, DATETIME_EXT, encodeDatetime(toInstant.apply(value)));
    }
  }

  private static final class UuidSerializer extends StdScalarSerializer<UUID> {
    private static final long serialVersionUID = 1L;

    UuidSerializer() {
      super(UUID.class);
    }

    @Override
    public void serialize(UUID value, JsonGenerator g, SerializerProvider provider)
        throws IOException {
      writeExtension(g, UUID_EXT, encodeUuid(value));
    }
  }

  private static final class FloatAsDoubleSerializer extends StdScalarSerializer<Float> {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("unchecked")
    FloatAsDoubleSerializer(Class<?> type) {
      super((Class<Float>) type, false);
    }

    @Override
    public void serialize(Float value, JsonGenerator g, SerializerProvider provider)
        throws IOException {
      // Exact: every float is a double. Python has only float64, so it writes this one too.
      g.writeNumber(value.doubleValue());
    }
  }

  private static final class DatetimeDeserializer<T> extends StdScalarDeserializer<T> {
    private static final long serialVersionUID = 1L;
    private final transient Function<Instant, T> fromInstant;

    DatetimeDeserializer(Class<T> type, Function<Instant, T> fromInstant) {
      super(type);
      this.fromInstant = fromInstant;
    }

    @Override
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken token = p.currentToken();
      Instant instant;
      if (token == JsonToken.VALUE_EMBEDDED_OBJECT) {
        Object embedded = p.getEmbeddedObject();
        if (embedded instanceof Instant) {
          instant = (Instant) embedded;
        } else if (embedded instanceof MessagePackExtensionType
            && ((MessagePackExtensionType) embedded).getType() == DATETIME_EXT) {
          instant = decodeDatetime(((MessagePackExtensionType) embedded).getData());
        } else {
          return wrongToken(p, ctxt);
        }
      } else if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
        // pydantic accepts seconds since the epoch as well.
        instant = instantOfSeconds(p.getDoubleValue());
      } else if (token == JsonToken.VALUE_STRING) {
        try {
          instant = OffsetDateTime.parse(p.getText()).toInstant();
        } catch (DateTimeException e) {
          return wrongToken(p, ctxt);
        }
      } else {
        return wrongToken(p, ctxt);
      }
      return fromInstant.apply(instant);
    }

    @SuppressWarnings("unchecked")
    private T wrongToken(JsonParser p, DeserializationContext ctxt) throws IOException {
      return (T)
          ctxt.handleUnexpectedToken(
              handledType(),
              p.currentToken(),
              p,
              "expected a datetime (MessagePack ext type %d)",
              DATETIME_EXT);
    }
  }

  private static final class UuidDeserializer extends StdScalarDeserializer<UUID> {
    private static final long serialVersionUID = 1L;

    UuidDeserializer() {
      super(UUID.class);
    }

    @Override
    public UUID deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken token = p.currentToken();
      if (token == JsonToken.VALUE_EMBEDDED_OBJECT) {
        Object embedded = p.getEmbeddedObject();
        if (embedded instanceof UUID) {
          return (UUID) embedded;
        }
        if (embedded instanceof MessagePackExtensionType
            && ((MessagePackExtensionType) embedded).getType() == UUID_EXT) {
          return decodeUuid(((MessagePackExtensionType) embedded).getData());
        }
        if (embedded instanceof byte[] && ((byte[]) embedded).length == 16) {
          return decodeUuid((byte[]) embedded);
        }
      } else if (token == JsonToken.VALUE_STRING) {
        try {
          return UUID.fromString(p.getText());
        } catch (IllegalArgumentException e) {
          // fall through to the error
        }
      }
      return (UUID)
          ctxt.handleUnexpectedToken(
              UUID.class, token, p, "expected a UUID (MessagePack ext type %d)", UUID_EXT);
    }
  }
}
