package io.redisrpc.internal.adapter;

import io.redisrpc.CallAdapter;
import io.redisrpc.RemoteCall;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/** {@code CompletableFuture<T>} and {@code CompletionStage<T>}. */
final class FutureAdapters extends CallAdapter.Factory {
  static final FutureAdapters INSTANCE = new FutureAdapters();

  private FutureAdapters() {}

  @Override
  public @Nullable CallAdapter<?> get(Type returnType, Method method) {
    Class<?> raw = rawType(returnType);
    if (raw != CompletableFuture.class && raw != CompletionStage.class) {
      return null;
    }
    if (!(returnType instanceof ParameterizedType)) {
      throw new IllegalArgumentException(raw.getSimpleName() + " needs a type argument");
    }
    return new Stage<>(((ParameterizedType) returnType).getActualTypeArguments()[0]);
  }

  private static final class Stage<T> implements CallAdapter<T> {
    private final Type resultType;

    Stage(Type resultType) {
      this.resultType = resultType;
    }

    @Override
    public Type resultType() {
      return resultType;
    }

    @Override
    public Object adapt(RemoteCall<T> call) {
      return call.start();
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletionStage<T> toStage(@Nullable Object returned) {
      return (CompletionStage<T>) returned;
    }
  }
}
