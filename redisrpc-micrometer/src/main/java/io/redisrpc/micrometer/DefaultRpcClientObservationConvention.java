package io.redisrpc.micrometer;

import io.micrometer.common.KeyValues;

/**
 * The default names and tags of client calls: the observation (and timer) {@code
 * rpc.client.call.duration}, the span {@code Service/method}, and the low-cardinality tags of
 * {@link RpcObservationDocumentation.LowCardinalityKeyNames}. Extend it to add tags.
 */
public class DefaultRpcClientObservationConvention implements RpcClientObservationConvention {
  /** The name of client call observations, and of their timer. */
  public static final String NAME = "rpc.client.call.duration";

  /** A convention with the default names and tags. */
  public DefaultRpcClientObservationConvention() {}

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public String getContextualName(RpcClientObservationContext context) {
    return RpcKeyValues.contextualName(context.getCall());
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(RpcClientObservationContext context) {
    return RpcKeyValues.of(context.getCall(), context.isCompleted(), context.getStatusCode());
  }
}
