package io.redisrpc.internal.codec;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/** The Jackson configuration both codecs share: exact round trips, no class names from the wire. */
public final class Mappers {
  private Mappers() {}

  /** A new JSON mapper, configured as the built-in codec's. */
  public static ObjectMapper json() {
    return Base64Bytes.install(configure(new ObjectMapper(new JsonFactory())));
  }

  /** A new MessagePack mapper, configured as the built-in codec's. */
  public static ObjectMapper msgpack() {
    return msgpack(new MessagePackFactory());
  }

  /**
   * {@code mapper}, a user's, made safe for the wire: no class is ever picked by a name a message
   * carries, whatever the mapper allowed.
   */
  public static ObjectMapper guarded(ObjectMapper mapper) {
    mapper.setPolymorphicTypeValidator(BasicPolymorphicTypeValidator.builder().build());
    mapper.deactivateDefaultTyping();
    mapper.disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    return mapper;
  }

  /** A MessagePack mapper on {@code factory}, configured as both codecs are. */
  public static ObjectMapper msgpack(MessagePackFactory factory) {
    ObjectMapper mapper = configure(new ObjectMapper(factory));
    // MessagePack has no decimal type and refuses integers past 64 bits; strings keep them exact.
    JsonFormat.Value asString = JsonFormat.Value.forShape(JsonFormat.Shape.STRING);
    mapper.configOverride(BigDecimal.class).setFormat(asString);
    mapper.configOverride(BigInteger.class).setFormat(asString);
    return mapper;
  }

  private static ObjectMapper configure(ObjectMapper mapper) {
    mapper.registerModule(new JavaTimeModule());
    mapper.registerModule(new Jdk8Module());
    mapper.registerModule(new ParameterNamesModule());
    // Dates as ISO-8601 text keep nanoseconds and offsets; timestamps would lose the offset.
    mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    mapper.disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
    mapper.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
    // Values are written into an enclosing message; flushing after each would be wasted work.
    mapper.disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    // A newer peer may send fields this version does not know: ignore them, as protobuf does.
    mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    // Refuse every class-name based polymorphic type id: nothing on the wire picks a Java class.
    mapper.setPolymorphicTypeValidator(BasicPolymorphicTypeValidator.builder().build());
    mapper.deactivateDefaultTyping();
    return mapper;
  }
}
