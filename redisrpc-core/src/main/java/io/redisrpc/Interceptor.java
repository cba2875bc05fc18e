package io.redisrpc;

import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Observes, changes or short-circuits calls: on a client before a call is sent, on a server before
 * the handler runs. The hook for authentication, tracing and metrics.
 *
 * <pre>{@code
 * Interceptor tenant = chain -> chain.proceed(chain.call().withHeader("tenant", "acme"));
 * }</pre>
 *
 * <p>Interceptors run in the order they were added; each calls {@link Chain#proceed} at most once,
 * or completes the call itself.
 */
@FunctionalInterface
public interface Interceptor {
  /** Handles the call of {@code chain}, usually by returning {@code chain.proceed(call)}. */
  CompletionStage<@Nullable Object> intercept(Chain chain) throws Exception;

  /** The call being made and the rest of the interceptors after this one. */
  interface Chain {
    /** The call as it reached this interceptor. */
    RpcCall call();

    /**
     * Passes {@code call} on to the next interceptor, or to the transport or handler at the end.
     */
    CompletionStage<@Nullable Object> proceed(RpcCall call);
  }
}
