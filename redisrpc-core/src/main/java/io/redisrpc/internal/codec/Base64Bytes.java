package io.redisrpc.internal.codec;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.PrimitiveArrayDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.Base64;

/**
 * {@code byte[]} read from JSON's Base64 text with {@link java.util.Base64}: Jackson's own decoder
 * appends the bytes one at a time, and a 1 KiB argument then cost more CPU than the rest of the
 * call (measured: a third of a JSON echo's samples). Text the JDK's decoder refuses (line breaks,
 * spaces) goes to Jackson's, so nothing Jackson accepted is refused. Writing stays Jackson's: it
 * encodes straight into its output buffer, where a string written through the generator is checked
 * for escapes character by character (measured: a quarter of the samples).
 */
final class Base64Bytes {
  private Base64Bytes() {}

  /**
   * Installs the decoder in {@code mapper} unless it uses another Base64 variant than Jackson's
   * default, which the JDK's decoder does not read.
   */
  static ObjectMapper install(ObjectMapper mapper) {
    if (mapper.getDeserializationConfig().getBase64Variant()
        != Base64Variants.getDefaultVariant()) {
      return mapper;
    }
    SimpleModule module = new SimpleModule("redisrpc-base64");
    module.addDeserializer(byte[].class, new Reader());
    return mapper.registerModule(module);
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
