package io.redisrpc.adapters;

import io.redisrpc.CallAdapter;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Counts the endpoints another factory adapted. */
final class CountingFactory extends CallAdapter.Factory {
  private final CallAdapter.Factory delegate;
  final AtomicInteger adapted = new AtomicInteger();

  CountingFactory(CallAdapter.Factory delegate) {
    this.delegate = delegate;
  }

  @Override
  public @Nullable CallAdapter<?> get(Type returnType, Method method) {
    CallAdapter<?> adapter = delegate.get(returnType, method);
    if (adapter != null) {
      adapted.incrementAndGet();
    }
    return adapter;
  }
}
