package io.redisrpc.internal.adapter;

import io.redisrpc.CallAdapter;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * The factories a client or server asks for each endpoint's adapter: the user's, in the order they
 * were added, then the built-in ones (futures, Flow.Publisher, Reactor's Mono and Flux, and last
 * the blocking one, which takes every other type). Immutable.
 */
public final class CallAdapters {
  private static final CallAdapters BUILT_IN = new CallAdapters(List.of());

  private final List<CallAdapter.Factory> factories;

  private CallAdapters(List<CallAdapter.Factory> added) {
    List<CallAdapter.Factory> all = new ArrayList<>(added);
    all.add(FutureAdapters.INSTANCE);
    all.add(PublisherAdapters.INSTANCE);
    all.add(ReactorAdapters.INSTANCE);
    all.add(BlockingAdapters.INSTANCE);
    this.factories = List.copyOf(all);
  }

  /** The built-in adapters only. */
  public static CallAdapters builtIn() {
    return BUILT_IN;
  }

  /** {@code added}, asked in this order, then the built-in adapters. */
  public static CallAdapters of(List<CallAdapter.Factory> added) {
    return added.isEmpty() ? BUILT_IN : new CallAdapters(added);
  }

  /**
   * The adapter of {@code method}, whose return type is {@code returnType}.
   *
   * @throws IllegalArgumentException why no adapter takes it, from the factory that refused it
   */
  public CallAdapter<?> get(Type returnType, Method method) {
    for (CallAdapter.Factory factory : factories) {
      CallAdapter<?> adapter = factory.get(returnType, method);
      if (adapter != null) {
        return adapter;
      }
    }
    // Unreachable: the blocking adapter takes what it does not refuse.
    throw new IllegalArgumentException("no CallAdapter.Factory takes it");
  }
}
