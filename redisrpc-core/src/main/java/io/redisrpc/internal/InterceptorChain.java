package io.redisrpc.internal;

import io.redisrpc.Interceptor;
import io.redisrpc.RpcCall;
import io.redisrpc.RpcException;
import io.redisrpc.StatusCode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Runs a call through interceptors, in order, and then into the terminal step. */
public final class InterceptorChain implements Interceptor.Chain {
  private final List<Interceptor> interceptors;
  private final int index;
  private final RpcCall call;
  private final Function<RpcCall, CompletionStage<@Nullable Object>> terminal;

  private InterceptorChain(
      List<Interceptor> interceptors,
      int index,
      RpcCall call,
      Function<RpcCall, CompletionStage<@Nullable Object>> terminal) {
    this.interceptors = interceptors;
    this.index = index;
    this.call = call;
    this.terminal = terminal;
  }

  /** Runs {@code call} through {@code interceptors} and then {@code terminal}. */
  public static CompletionStage<@Nullable Object> run(
      List<Interceptor> interceptors,
      RpcCall call,
      Function<RpcCall, CompletionStage<@Nullable Object>> terminal) {
    if (interceptors.isEmpty()) {
      return terminal.apply(call);
    }
    return new InterceptorChain(interceptors, 0, call, terminal).next();
  }

  private CompletionStage<@Nullable Object> next() {
    if (index == interceptors.size()) {
      return terminal.apply(call);
    }
    Interceptor interceptor = interceptors.get(index);
    try {
      CompletionStage<@Nullable Object> stage = interceptor.intercept(this);
      if (stage == null) {
        return CompletableFuture.failedFuture(
            new RpcException(
                StatusCode.INTERNAL,
                "Interceptor " + interceptor.getClass().getName() + " returned null"));
      }
      return stage;
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public RpcCall call() {
    return call;
  }

  @Override
  public CompletionStage<@Nullable Object> proceed(RpcCall call) {
    java.util.Objects.requireNonNull(call, "call == null");
    return new InterceptorChain(interceptors, index + 1, call, terminal).next();
  }
}
