package io.redisrpc.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.redisrpc.Interceptor;
import io.redisrpc.Metadata;
import io.redisrpc.RpcCall;
import io.redisrpc.internal.dispatch.Errors;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Observes each call of an {@code RpcClient}: one {@link Observation} per call, {@link
 * RpcObservationDocumentation#CLIENT}, started before the call is sent and stopped when its outcome
 * arrives. With Micrometer Tracing's propagating handlers in the registry, the call's span is the
 * child of the observation current on the calling thread (inside a handler: the served call's), and
 * its trace context travels in the call's headers ({@code traceparent}, {@code tracestate}).
 *
 * <pre>{@code
 * RpcClient<Dropbox> client = RpcClient.builder(Dropbox.class)
 *     .addInterceptor(ObservationClientInterceptor.create(observationRegistry))
 *     .build();
 * }</pre>
 *
 * <p>Add it first, so that it observes the other interceptors too. Headers do not travel in the
 * aioredis-rpc protocol: there the server's spans start traces of their own.
 */
public final class ObservationClientInterceptor implements Interceptor {
  private static final RpcClientObservationConvention DEFAULT =
      new DefaultRpcClientObservationConvention();

  private final ObservationRegistry registry;
  private final @Nullable RpcClientObservationConvention convention;

  private ObservationClientInterceptor(
      ObservationRegistry registry, @Nullable RpcClientObservationConvention convention) {
    this.registry = registry;
    this.convention = convention;
  }

  /** An interceptor observing calls in {@code registry} with the default convention. */
  public static ObservationClientInterceptor create(ObservationRegistry registry) {
    return new ObservationClientInterceptor(
        Objects.requireNonNull(registry, "registry == null"), null);
  }

  /** An interceptor observing calls in {@code registry}, named and tagged by {@code convention}. */
  public static ObservationClientInterceptor create(
      ObservationRegistry registry, RpcClientObservationConvention convention) {
    return new ObservationClientInterceptor(
        Objects.requireNonNull(registry, "registry == null"),
        Objects.requireNonNull(convention, "convention == null"));
  }

  @Override
  public CompletionStage<@Nullable Object> intercept(Chain chain) {
    RpcCall call = chain.call();
    RpcClientObservationContext context = new RpcClientObservationContext(call);
    Observation observation =
        RpcObservationDocumentation.CLIENT
            .observation(convention, DEFAULT, () -> context, registry)
            .start();
    if (observation.isNoop()) {
      return chain.proceed(call);
    }
    // Filled by a propagating tracing handler when the observation started.
    Map<String, String> propagated = context.getCarrier();
    RpcCall sent =
        propagated == null || propagated.isEmpty()
            ? call
            : call.withHeaders(call.headers().merge(Metadata.of(propagated)));
    return ObservedCall.proceed(
        observation, () -> chain.proceed(sent), Errors::clientCode, context::complete);
  }
}
