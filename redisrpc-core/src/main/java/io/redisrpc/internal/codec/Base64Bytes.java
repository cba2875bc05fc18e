package io.redisrpc.internal.codec;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.PrimitiveArrayDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import java.io.IOException;
import java.util.Base64;

/**
 * {@code byte[]} in JSON as the same Base64 text Jackson writes, coded with {@link
 * java.util.Base64}: Jackson's own decoder appends the bytes one at a time, and a 1 KiB argument
 * then cost more CPU than the rest of the call (measured: a third of a JSON echo's samples). Text
 * the JDK's decoder refuses (line breaks, spaces) goes to Jackson's, so nothing Jackson accepted is
 * refused.
 */
final class Base64Bytes {
  private Base64Bytes() {}

  /**
   * Installs the coder in {@code mapper} unless it uses another Base64 variant than Jackson's
   * default, which the JDK's coder does not write.
   */
  static ObjectMapper install(ObjectMapper mapper) {
    if (mapper.getSerializationConfig().getBase64Variant() != Base64Variants.getDefaultVariant()
        || mapper.getDeserializationConfig().getBase64Variant()
            != Base64Variants.getDefaultVariant()) {
      return mapper;
    }
    SimpleModule module = new SimpleModule("redisrpc-base64");
    module.addSerializer(byte[].class, new Writer());
    module.addDeserializer(byte[].class, new Reader());
    return mapper.registerModule(module);
  }

  private static final class Writer extends StdScalarSerializer<byte[]> {
    Writer() {
      super(byte[].class);
    }

    @Override
    public void serialize(byte[] value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(Base64.getEncoder().encodeToString(value));
    }
  }

  private static final class Reader extends StdScalarDeserializer<byte[]> {
    private final JsonDeserializer<?> jackson = PrimitiveArrayDeserializers.forType(Byte.TYPE);

    Reader() {
      super(byte[].class);
    }

    @Override
    public byte[] deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        try {
          return Base64.getDecoder().decode(p.getText());
        } catch (IllegalArgumentException notPlainBase64) {
          // Jackson's decoder tells what is wrong, or accepts what the JDK's does not.
        }
      }
      // Arrays of numbers, embedded binary, other Base64: as Jackson reads them.
      return (byte[]) jackson.deserialize(p, ctxt);
    }
  }
}
