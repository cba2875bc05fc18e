package io.redisrpc.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.redisrpc.Interceptor;
import io.redisrpc.RpcCall;
import io.redisrpc.internal.dispatch.Errors;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Observes each call an {@code RpcServer} handles: one {@link Observation} per call, {@link
 * RpcObservationDocumentation#SERVER}, started before the handler runs and stopped when its outcome
 * is known. With Micrometer Tracing's propagating handlers in the registry, the call's span
 * continues the caller's trace, read from the call's headers.
 *
 * <p>The observation is in scope on the handler's thread while the handler method runs, so calls
 * made from the handler continue the trace (for asynchronous handlers: not in the stages they chain
 * later, as with {@code CallContext}).
 *
 * <pre>{@code
 * RpcServer server = RpcServer.builder(Dropbox.class, impl)
 *     .addInterceptor(ObservationServerInterceptor.create(observationRegistry))
 *     .build();
 * }</pre>
 *
 * <p>Add it first, so that it observes the other interceptors too.
 */
public final class ObservationServerInterceptor implements Interceptor {
  private static final RpcServerObservationConvention DEFAULT =
      new DefaultRpcServerObservationConvention();

  private final ObservationRegistry registry;
  private final @Nullable RpcServerObservationConvention convention;

  private ObservationServerInterceptor(
      ObservationRegistry registry, @Nullable RpcServerObservationConvention convention) {
    this.registry = registry;
    this.convention = convention;
  }

  /** An interceptor observing served calls in {@code registry} with the default convention. */
  public static ObservationServerInterceptor create(ObservationRegistry registry) {
    return new ObservationServerInterceptor(
        Objects.requireNonNull(registry, "registry == null"), null);
  }

  /**
   * An interceptor observing served calls in {@code registry}, named and tagged by {@code
   * convention}.
   */
  public static ObservationServerInterceptor create(
      ObservationRegistry registry, RpcServerObservationConvention convention) {
    return new ObservationServerInterceptor(
        Objects.requireNonNull(registry, "registry == null"),
        Objects.requireNonNull(convention, "convention == null"));
  }

  @Override
  public CompletionStage<@Nullable Object> intercept(Chain chain) {
    RpcCall call = chain.call();
    RpcServerObservationContext context = new RpcServerObservationContext(call);
    Observation observation =
        RpcObservationDocumentation.SERVER
            .observation(convention, DEFAULT, () -> context, registry)
            .start();
    if (observation.isNoop()) {
      return chain.proceed(call);
    }
    return ObservedCall.proceed(
        observation, () -> chain.proceed(call), Errors::serverCode, context::complete);
  }
}
