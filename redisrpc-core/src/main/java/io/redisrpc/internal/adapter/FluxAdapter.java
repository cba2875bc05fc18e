package io.redisrpc.internal.adapter;

import java.lang.reflect.Type;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;

/**
 * {@code Flux<T>}: a stream of items, cold on the client (each subscription opens the stream anew,
 * cancelling it cancels the call), subscribed once on the server. Loaded only for an endpoint that
 * returns a {@code Flux}, as {@link MonoAdapter} for a {@code Mono}.
 */
final class FluxAdapter extends StreamAdapter {
  private FluxAdapter(Type itemType) {
    super(itemType);
  }

  static StreamAdapter of(Type itemType) {
    return new FluxAdapter(itemType);
  }

  @Override
  public Object adaptStream(Flow.Publisher<@Nullable Object> items) {
    return JdkFlowAdapter.flowPublisherToFlux(items);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Flow.Publisher<@Nullable Object> toPublisher(Object returned) {
    return JdkFlowAdapter.publisherToFlowPublisher((Flux<@Nullable Object>) returned);
  }
}
