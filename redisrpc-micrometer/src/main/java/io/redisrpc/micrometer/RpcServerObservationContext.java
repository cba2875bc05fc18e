package io.redisrpc.micrometer;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.redisrpc.Metadata;
import io.redisrpc.RpcCall;
import io.redisrpc.StatusCode;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The context of a served call's observation. Its carrier is the call's headers, from which a
 * tracing handler extracts the caller's trace context when the observation starts.
 */
public final class RpcServerObservationContext extends ReceiverContext<Metadata> {
  private final RpcCall call;
  private boolean completed;
  private @Nullable StatusCode failure;

  /** The context of {@code call}, carrying its headers. */
  public RpcServerObservationContext(RpcCall call) {
    super(RpcServerObservationContext::get, Kind.SERVER);
    this.call = Objects.requireNonNull(call, "call == null");
    setCarrier(call.headers());
  }

  private static @Nullable String get(@Nullable Metadata carrier, String key) {
    return carrier == null ? null : carrier.get(key).orElse(null);
  }

  /** The call as it reached the interceptor. */
  public RpcCall getCall() {
    return call;
  }

  /** Whether the handler has completed, successfully or not. */
  public boolean isCompleted() {
    return completed;
  }

  /**
   * The status code the server answers the handler's failure with; empty while it runs and after it
   * succeeded.
   */
  public Optional<StatusCode> getStatusCode() {
    return Optional.ofNullable(failure);
  }

  void complete(@Nullable StatusCode failure) {
    this.failure = failure;
    this.completed = true;
  }
}
