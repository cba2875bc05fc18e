package io.redisrpc.adapters;

import io.redisrpc.CallAdapter;
import io.redisrpc.RemoteCall;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/** Adapts {@code Promise<T>} return types on clients and servers (the README's example). */
// README:adapter:begin
public final class PromiseAdapterFactory extends CallAdapter.Factory {
  @Override
  public @Nullable CallAdapter<?> get(Type returnType, Method method) {
    if (rawType(returnType) != Promise.class) {
      return null; // not mine: the next factory is asked
    }
    if (!(returnType instanceof ParameterizedType)) {
      throw new IllegalArgumentException("Promise needs a type argument");
    }
    Type resultType = parameterUpperBound(0, (ParameterizedType) returnType);
    return new CallAdapter<Object>() {
      @Override
      public Type resultType() {
        return resultType; // what travels: Integer for Promise<Integer>
      }

      @Override
      public Object adapt(RemoteCall<Object> call) {
        return new Promise<>(call.start()); // client: the proxy returns this
      }

      @Override
      @SuppressWarnings("unchecked")
      public CompletionStage<Object> toStage(@Nullable Object returned) {
        return ((Promise<Object>) returned).future; // server: the handler returned this
      }
    };
  }
}
// README:adapter:end
