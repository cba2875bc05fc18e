package io.redisrpc.internal.codec;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.redisrpc.internal.proxy.MethodModel;
import io.redisrpc.internal.proxy.ReturnKind;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/** Readers and writers for one endpoint in one codec, built once instead of per call. */
public final class MethodCodec {
  final MethodModel model;
  final ObjectWriter[] argWriters;
  final ObjectReader[] argReaders;
  final ObjectWriter resultWriter;
  final ObjectReader resultReader;

  MethodCodec(MethodModel model, ObjectMapper mapper) {
    this.model = model;
    // The types are resolved again by the mapper's own TypeFactory: the model's come from
    // TypeFactory.defaultInstance(), which lacks the modules' type modifiers, so Optional<T> (at
    // any depth) would not be the reference type Jdk8Module serializes, and would be refused.
    TypeFactory types = mapper.getTypeFactory();
    Method method = model.method();
    Type[] parameters = method.getGenericParameterTypes();
    this.argWriters = new ObjectWriter[parameters.length];
    this.argReaders = new ObjectReader[parameters.length];
    for (int i = 0; i < parameters.length; i++) {
      JavaType type = types.constructType(parameters[i]);
      argWriters[i] = mapper.writerFor(type);
      argReaders[i] = mapper.readerFor(type);
    }
    JavaType result = types.constructType(resultType(model));
    this.resultWriter = mapper.writerFor(result);
    this.resultReader = mapper.readerFor(result);
  }

  /** The result type as ServiceModel reads it: unwrapped from a future, Void for void. */
  private static Type resultType(MethodModel model) {
    Method method = model.method();
    if (model.returnKind() != ReturnKind.BLOCKING) {
      return ((ParameterizedType) method.getGenericReturnType()).getActualTypeArguments()[0];
    }
    return method.getReturnType() == void.class ? Void.class : method.getGenericReturnType();
  }

  /** The endpoint. */
  public MethodModel model() {
    return model;
  }
}
