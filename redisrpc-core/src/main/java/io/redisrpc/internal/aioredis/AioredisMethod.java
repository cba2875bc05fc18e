package io.redisrpc.internal.aioredis;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.redisrpc.Endpoint;
import io.redisrpc.internal.proxy.MethodModel;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint as aioredis-rpc sees it: its name on the wire (the Java name in snake_case unless
 * {@code @Endpoint(name = ...)} gives one), the names its keyword arguments go by, and readers and
 * writers of its arguments and result, built once.
 */
public final class AioredisMethod {
  private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

  private final MethodModel model;
  private final String wireName;
  private final List<String> parameterNames;
  private final Map<String, Integer> keywordIndex;
  private final ObjectWriter[] argWriters;
  private final ObjectReader[] argReaders;
  private final ObjectWriter resultWriter;
  private final ObjectReader resultReader;

  AioredisMethod(MethodModel model, ObjectMapper mapper) {
    this.model = model;
    Method method = model.method();
    Endpoint endpoint = method.getAnnotation(Endpoint.class);
    this.wireName =
        endpoint != null && !endpoint.name().isEmpty()
            ? endpoint.name()
            : snakeCase(method.getName());
    // Types resolved by the mapper's own TypeFactory, which knows the modules' reference types.
    TypeFactory types = mapper.getTypeFactory();
    Parameter[] parameters = method.getParameters();
    Type[] generic = method.getGenericParameterTypes();
    List<String> names = new ArrayList<>(parameters.length);
    Map<String, Integer> index = new HashMap<>();
    this.argWriters = new ObjectWriter[parameters.length];
    this.argReaders = new ObjectReader[parameters.length];
    for (int i = 0; i < parameters.length; i++) {
      JavaType type = types.constructType(generic[i]);
      argWriters[i] = mapper.writerFor(type);
      argReaders[i] = mapper.readerFor(type);
      String javaName = model.parameterNames().get(i);
      JsonProperty explicit = parameters[i].getAnnotation(JsonProperty.class);
      String name =
          explicit != null && !explicit.value().isEmpty() ? explicit.value() : snakeCase(javaName);
      names.add(name);
      index.put(name, i);
      // The Java spelling is accepted too, unless it is another parameter's wire name.
      index.putIfAbsent(javaName, i);
    }
    this.parameterNames = List.copyOf(names);
    this.keywordIndex = Collections.unmodifiableMap(index);
    JavaType result = types.constructType(resultType(model));
    this.resultWriter = mapper.writerFor(result);
    this.resultReader = mapper.readerFor(result);
  }

  /** {@code uploadFile} to {@code upload_file}, as Jackson's SNAKE_CASE names properties. */
  public static String snakeCase(String javaName) {
    return SNAKE_CASE.translate(javaName);
  }

  private static Type resultType(MethodModel model) {
    return model.resultType();
  }

  /** The endpoint. */
  public MethodModel model() {
    return model;
  }

  /** The name on the wire, e.g. {@code upload_file}. */
  public String wireName() {
    return wireName;
  }

  /** The parameters' names as keyword arguments, in order. */
  public List<String> parameterNames() {
    return parameterNames;
  }

  /** The position of the parameter keyword argument {@code name} stands for, or null. */
  @Nullable Integer keywordIndex(String name) {
    return keywordIndex.get(name);
  }

  int arity() {
    return argReaders.length;
  }

  ObjectWriter argWriter(int i) {
    return argWriters[i];
  }

  ObjectReader argReader(int i) {
    return argReaders[i];
  }

  ObjectWriter resultWriter() {
    return resultWriter;
  }

  ObjectReader resultReader() {
    return resultReader;
  }

  @Override
  public String toString() {
    return wireName + " (" + model.qualifiedName() + ")";
  }
}
