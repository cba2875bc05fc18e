package io.redisrpc.micrometer;

import io.micrometer.common.KeyValues;

/**
 * The default names and tags of served calls: the observation (and timer) {@code
 * rpc.server.call.duration}, the span {@code Service/method}, and the low-cardinality tags of
 * {@link RpcObservationDocumentation.LowCardinalityKeyNames}. Extend it to add tags.
 */
public class DefaultRpcServerObservationConvention implements RpcServerObservationConvention {
  /** The name of served call observations, and of their timer. */
  public static final String NAME = "rpc.server.call.duration";

  /** A convention with the default names and tags. */
  public DefaultRpcServerObservationConvention() {}

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public String getContextualName(RpcServerObservationContext context) {
    return RpcKeyValues.contextualName(context.getCall());
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(RpcServerObservationContext context) {
    return RpcKeyValues.of(context.getCall(), context.isCompleted(), context.getStatusCode());
  }
}
