package io.redisrpc.micrometer;

import io.micrometer.common.KeyValues;
import io.redisrpc.RpcCall;
import io.redisrpc.StatusCode;
import io.redisrpc.micrometer.RpcObservationDocumentation.LowCardinalityKeyNames;
import java.util.Optional;

/** The tags and names both sides share. */
final class RpcKeyValues {
  static final String SYSTEM = "redisrpc";

  private RpcKeyValues() {}

  /** {@code Service/method}, the span name the conventions ask for. */
  static String contextualName(RpcCall call) {
    return call.service() + "/" + call.method();
  }

  /**
   * The call's tags; the outcome's once it completed ({@code completed}), so that a finished call's
   * timer has the same tag keys whatever its outcome.
   */
  static KeyValues of(RpcCall call, boolean completed, Optional<StatusCode> failure) {
    KeyValues keyValues =
        KeyValues.of(
            LowCardinalityKeyNames.RPC_SYSTEM.withValue(SYSTEM),
            LowCardinalityKeyNames.RPC_SERVICE.withValue(call.service()),
            LowCardinalityKeyNames.RPC_METHOD.withValue(call.method()));
    if (!completed) {
      return keyValues;
    }
    return keyValues.and(
        LowCardinalityKeyNames.STATUS_CODE.withValue(failure.map(StatusCode::name).orElse("OK")),
        LowCardinalityKeyNames.ERROR_TYPE.withValue(failure.map(StatusCode::name).orElse("none")));
  }
}
