package io.redisrpc.internal.dispatch;

import io.redisrpc.CallContext;
import io.redisrpc.RpcCall;
import io.redisrpc.RpcException;
import io.redisrpc.StatusCode;
import io.redisrpc.internal.proxy.MethodModel;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/** Calls one endpoint of the served implementation through a method handle made once. */
public final class HandlerInvoker {
  private final MethodModel model;
  private final MethodHandle handle;

  /** An invoker of {@code model} on {@code implementation}. */
  public HandlerInvoker(MethodModel model, Object implementation) {
    this.model = model;
    try {
      java.lang.reflect.Method method = model.method();
      method.setAccessible(true);
      int arity = method.getParameterCount();
      this.handle =
          MethodHandles.lookup()
              .unreflect(method)
              .bindTo(implementation)
              .asSpreader(Object[].class, arity)
              .asType(MethodType.methodType(Object.class, Object[].class));
    } catch (IllegalAccessException | RuntimeException e) {
      throw new IllegalArgumentException(
          "Cannot call method " + model.qualifiedName() + " of " + implementation.getClass(), e);
    }
  }

  /**
   * Runs the handler for {@code call} with the call as its {@link CallContext}, and adapts what it
   * returned into its reply with the endpoint's {@link io.redisrpc.CallAdapter}, still within that
   * context.
   */
  public CompletionStage<@Nullable Object> invoke(RpcCall call) {
    try (CallContext.Scope ignored = CallContext.attach(call)) {
      Object result = (Object) handle.invokeExact(call.arguments().toArray());
      if (result == null && !model.blocking()) {
        return CompletableFuture.failedFuture(
            new RpcException(
                StatusCode.INTERNAL, model.qualifiedName() + " returned null instead of a future"));
      }
      @SuppressWarnings("unchecked")
      CompletionStage<@Nullable Object> stage =
          (CompletionStage<@Nullable Object>) model.adapter().toStage(result);
      return stage;
    } catch (Throwable t) {
      return CompletableFuture.failedFuture(t);
    }
  }
}
