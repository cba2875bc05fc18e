package io.redisrpc.micrometer;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import io.redisrpc.RpcCall;
import io.redisrpc.StatusCode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The context of a client call's observation. Its carrier collects the headers a tracing handler
 * injects when the observation starts (W3C {@code traceparent}, {@code tracestate}, baggage): the
 * interceptor adds them to the call's headers before it is sent.
 */
public final class RpcClientObservationContext extends SenderContext<Map<String, String>> {
  private final RpcCall call;
  private boolean completed;
  private @Nullable StatusCode failure;

  /** The context of {@code call}, with an empty carrier. */
  public RpcClientObservationContext(RpcCall call) {
    super(RpcClientObservationContext::put, Kind.CLIENT);
    this.call = Objects.requireNonNull(call, "call == null");
    setCarrier(new LinkedHashMap<>());
    setRemoteServiceName(call.service());
  }

  private static void put(@Nullable Map<String, String> carrier, String key, String value) {
    if (carrier != null) {
      carrier.put(key, value);
    }
  }

  /** The call as it reached the interceptor, before the propagation headers were added. */
  public RpcCall getCall() {
    return call;
  }

  /** Whether the call has completed, successfully or not. */
  public boolean isCompleted() {
    return completed;
  }

  /** The status code the call failed with; empty while it runs and after it succeeded. */
  public Optional<StatusCode> getStatusCode() {
    return Optional.ofNullable(failure);
  }

  void complete(@Nullable StatusCode failure) {
    this.failure = failure;
    this.completed = true;
  }
}
