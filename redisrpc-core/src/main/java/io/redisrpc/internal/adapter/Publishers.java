package io.redisrpc.internal.adapter;

/**
 * Recognises Reactive Streams types by name, without loading a class of Reactor or Reactive
 * Streams: redisrpc never needs either unless an endpoint returns one of their types.
 */
final class Publishers {
  static final String PUBLISHER = "org.reactivestreams.Publisher";
  static final String MONO = "reactor.core.publisher.Mono";
  static final String FLUX = "reactor.core.publisher.Flux";

  private Publishers() {}

  /** Whether {@code type} is or implements {@code org.reactivestreams.Publisher}. */
  static boolean isPublisher(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (implementsPublisher(c)) {
        return true;
      }
    }
    return false;
  }

  private static boolean implementsPublisher(Class<?> type) {
    if (type.getName().equals(PUBLISHER)) {
      return true;
    }
    for (Class<?> i : type.getInterfaces()) {
      if (implementsPublisher(i)) {
        return true;
      }
    }
    return false;
  }
}
