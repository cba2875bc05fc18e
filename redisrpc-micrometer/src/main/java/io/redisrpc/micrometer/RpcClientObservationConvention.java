package io.redisrpc.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observations of client calls; implement it, or extend {@link
 * DefaultRpcClientObservationConvention}, to change them.
 */
public interface RpcClientObservationConvention
    extends ObservationConvention<RpcClientObservationContext> {
  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof RpcClientObservationContext;
  }
}
