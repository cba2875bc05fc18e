package io.redisrpc.internal.codec;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.redisrpc.internal.proxy.MethodModel;
import java.lang.reflect.Type;
import java.util.List;

/** Readers and writers for one endpoint in one codec, built once instead of per call. */
public final class MethodCodec {
  final MethodModel model;
  final ObjectWriter[] argWriters;
  final ObjectReader[] argReaders;
  final ObjectWriter resultWriter;
  final ObjectReader resultReader;

  MethodCodec(MethodModel model, ObjectMapper mapper) {
    this.model = model;
    // The mapper's own factory applies its modules' type modifiers: Optional<T>, at any depth,
    // must become the reference type Jdk8Module knows.
    TypeFactory types = mapper.getTypeFactory();
    List<Type> parameters = model.parameterTypes();
    this.argWriters = new ObjectWriter[parameters.size()];
    this.argReaders = new ObjectReader[parameters.size()];
    for (int i = 0; i < parameters.size(); i++) {
      JavaType type = types.constructType(parameters.get(i));
      argWriters[i] = mapper.writerFor(type);
      argReaders[i] = mapper.readerFor(type);
    }
    JavaType result = types.constructType(model.resultType());
    this.resultWriter = mapper.writerFor(result);
    this.resultReader = mapper.readerFor(result);
  }

  /** The endpoint. */
  public MethodModel model() {
    return model;
  }
}
