package io.redisrpc.internal.adapter;

import io.redisrpc.CallAdapter;
import io.redisrpc.RemoteCall;
import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * The adapter of a streaming endpoint, one whose call answers with a stream of items: {@code
 * Flow.Publisher<T>}, or {@code Flux<T>} with Reactor. Both sides speak {@link Flow.Publisher}
 * underneath; the adapter only converts from and to the declared type. Built in only: a {@link
 * CallAdapter.Factory} of the user's adapts calls of one result.
 */
public abstract class StreamAdapter implements CallAdapter<Object> {
  private final Type itemType;

  StreamAdapter(Type itemType) {
    if (itemType == Void.class) {
      // Reactive Streams carry no null items: a stream of Void could say nothing but its end.
      throw new IllegalArgumentException("a stream of Void has no items: use Mono<Void> or void");
    }
    this.itemType = itemType;
  }

  /** The type of each item, which the codec encodes and decodes. */
  @Override
  public final Type resultType() {
    return itemType;
  }

  /** What the proxy method returns for {@code items}, a cold publisher of the call's items. */
  public abstract Object adaptStream(Flow.Publisher<@Nullable Object> items);

  /** The items of a handler that returned {@code returned}, never null. */
  public abstract Flow.Publisher<@Nullable Object> toPublisher(Object returned);

  /** Never called: the proxy opens streams itself ({@link #adaptStream}). */
  @Override
  public final @Nullable Object adapt(RemoteCall<Object> call) {
    throw new IllegalStateException(call.endpoint() + " is a stream: it is not called as one call");
  }

  /**
   * The handler's publisher, as the result the server's interceptors see; the server then
   * subscribes to it and streams its items.
   */
  @Override
  public final CompletionStage<Object> toStage(@Nullable Object returned) {
    return CompletableFuture.completedFuture(toPublisher(returned));
  }
}
