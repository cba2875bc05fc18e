package io.redisrpc.internal.adapter;

import io.redisrpc.CallAdapter;
import io.redisrpc.RemoteCall;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * {@code T m(...)} and {@code void m(...)}: the caller blocks until the result, and the handler
 * returns it. The last factory asked, so it takes every type no other factory took, except the
 * asynchronous ones it would mistake for a value.
 */
final class BlockingAdapters extends CallAdapter.Factory {
  static final BlockingAdapters INSTANCE = new BlockingAdapters();

  private BlockingAdapters() {}

  @Override
  public CallAdapter<?> get(Type returnType, Method method) {
    Class<?> raw = rawType(returnType);
    if (Future.class.isAssignableFrom(raw)) {
      throw new IllegalArgumentException("use T, void, CompletableFuture<T> or CompletionStage<T>");
    }
    if (Publishers.isPublisher(raw)) {
      throw new IllegalArgumentException(
          raw.getSimpleName()
              + " is a Reactive Streams publisher: use Mono<T> for one value, Flux<T> or"
              + " Flow.Publisher<T> for a stream");
    }
    return new Blocking<>(raw == void.class ? Void.class : returnType);
  }

  private static final class Blocking<T> implements CallAdapter<T> {
    private final Type resultType;

    Blocking(Type resultType) {
      this.resultType = resultType;
    }

    @Override
    public Type resultType() {
      return resultType;
    }

    @Override
    public @Nullable Object adapt(RemoteCall<T> call) throws Exception {
      return call.execute();
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletionStage<T> toStage(@Nullable Object returned) {
      return CompletableFuture.completedFuture((T) returned);
    }

    @Override
    public boolean blocking() {
      return true;
    }
  }
}
