package io.redisrpc.internal.adapter;

import io.redisrpc.CallAdapter;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import org.jspecify.annotations.Nullable;

/**
 * {@code Mono<T>}, when Reactor is on the class path. The type is recognised by its name, and the
 * adapter that uses Reactor ({@link MonoAdapter}) is loaded only for an endpoint that returns a
 * {@code Mono}: without Reactor, nothing of it is ever loaded.
 */
final class ReactorAdapters extends CallAdapter.Factory {
  static final ReactorAdapters INSTANCE = new ReactorAdapters();

  private ReactorAdapters() {}

  @Override
  public @Nullable CallAdapter<?> get(Type returnType, Method method) {
    Class<?> raw = rawType(returnType);
    if (!raw.getName().equals(Publishers.MONO)) {
      return null;
    }
    if (!(returnType instanceof ParameterizedType)) {
      throw new IllegalArgumentException("Mono needs a type argument");
    }
    return MonoAdapter.of(parameterUpperBound(0, (ParameterizedType) returnType));
  }
}
