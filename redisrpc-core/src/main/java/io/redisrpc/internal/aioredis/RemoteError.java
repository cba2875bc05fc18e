package io.redisrpc.internal.aioredis;

import java.util.Objects;

/**
 * The {@code error} map of an aioredis-rpc reply: {@code {msg, error_class}}, where {@code
 * error_class} is the exception's class name without its module or package.
 */
public record RemoteError(String msg, String errorClass) {
  /** An error map. */
  public RemoteError {
    Objects.requireNonNull(msg, "msg == null");
    Objects.requireNonNull(errorClass, "errorClass == null");
  }

  /** How aioredis-rpc's client words it: {@code Remote RPC error: <class> <msg> (from <name>)}. */
  public String describe(String methodName) {
    return "Remote RPC error: " + errorClass + " " + msg + " (from " + methodName + ")";
  }
}
