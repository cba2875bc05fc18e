package io.redisrpc.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observations of served calls; implement it, or extend {@link
 * DefaultRpcServerObservationConvention}, to change them.
 */
public interface RpcServerObservationConvention
    extends ObservationConvention<RpcServerObservationContext> {
  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof RpcServerObservationContext;
  }
}
