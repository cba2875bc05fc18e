package io.redisrpc.internal.adapter;

import io.redisrpc.CallAdapter;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/** {@code Flow.Publisher<T>}: a stream of items, with the JDK's own reactive interfaces. */
final class PublisherAdapters extends CallAdapter.Factory {
  static final PublisherAdapters INSTANCE = new PublisherAdapters();

  private PublisherAdapters() {}

  @Override
  public @Nullable CallAdapter<?> get(Type returnType, Method method) {
    if (rawType(returnType) != Flow.Publisher.class) {
      return null;
    }
    if (!(returnType instanceof ParameterizedType)) {
      throw new IllegalArgumentException("Flow.Publisher needs a type argument");
    }
    return new FlowStream(parameterUpperBound(0, (ParameterizedType) returnType));
  }

  private static final class FlowStream extends StreamAdapter {
    FlowStream(Type itemType) {
      super(itemType);
    }

    @Override
    public Object adaptStream(Flow.Publisher<@Nullable Object> items) {
      return items;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Flow.Publisher<@Nullable Object> toPublisher(Object returned) {
      return (Flow.Publisher<@Nullable Object>) returned;
    }
  }
}
