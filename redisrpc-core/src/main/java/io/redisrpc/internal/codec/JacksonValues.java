package io.redisrpc.internal.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.redisrpc.ValueCodec;
import java.io.IOException;
import java.lang.reflect.Type;
import org.jspecify.annotations.Nullable;

/** Value codecs of every type through one Jackson mapper: the built-in codecs' values. */
public final class JacksonValues {
  private final ObjectMapper mapper;

  /** Values written and read by {@code mapper}. */
  public JacksonValues(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The format the mapper writes. */
  public com.fasterxml.jackson.core.JsonFactory format() {
    return mapper.getFactory();
  }

  /** A copy of the mapper, for whoever may change it. */
  public ObjectMapper mapperCopy() {
    return mapper.copy();
  }

  /** The codec of {@code type}'s values, with a reader and a writer made once. */
  public ValueCodec<Object> of(Type type) {
    // The mapper's own factory applies its modules' type modifiers: Optional<T>, at any depth,
    // must become the reference type Jdk8Module knows.
    JavaType javaType = mapper.getTypeFactory().constructType(type);
    return new Values(mapper.writerFor(javaType), mapper.readerFor(javaType));
  }

  private static final class Values implements ValueCodec<Object> {
    private final ObjectWriter writer;
    private final ObjectReader reader;

    Values(ObjectWriter writer, ObjectReader reader) {
      this.writer = writer;
      this.reader = reader;
    }

    @Override
    public void write(JsonGenerator out, @Nullable Object value) throws IOException {
      writer.writeValue(out, value);
    }

    @Override
    public @Nullable Object read(JsonParser in) throws IOException {
      return reader.readValue(in);
    }
  }
}
