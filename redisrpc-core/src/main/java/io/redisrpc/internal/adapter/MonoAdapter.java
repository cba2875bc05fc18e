package io.redisrpc.internal.adapter;

import io.redisrpc.CallAdapter;
import io.redisrpc.RemoteCall;
import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * {@code Mono<T>}: cold on the client (each subscription sends the call, disposing it cancels the
 * call); on the server the returned Mono is subscribed once, and disposed when the call is
 * cancelled or its deadline passes. The only class of redisrpc that uses Reactor.
 */
final class MonoAdapter<T> implements CallAdapter<T> {
  private final Type resultType;

  private MonoAdapter(Type resultType) {
    this.resultType = resultType;
  }

  static CallAdapter<?> of(Type resultType) {
    return new MonoAdapter<>(resultType);
  }

  @Override
  public Type resultType() {
    return resultType;
  }

  @Override
  public Object adapt(RemoteCall<T> call) {
    // A null result (Mono<Void>, or a null value) completes the Mono empty.
    return Mono.fromFuture(call::start);
  }

  @Override
  @SuppressWarnings("unchecked")
  public CompletionStage<T> toStage(@Nullable Object returned) {
    CompletableFuture<T> stage = new CompletableFuture<>();
    Disposable subscription =
        ((Mono<T>) returned)
            .subscribe(stage::complete, stage::completeExceptionally, () -> stage.complete(null));
    stage.whenComplete(
        (value, error) -> {
          if (stage.isCancelled()) {
            subscription.dispose();
          }
        });
    return stage;
  }
}
