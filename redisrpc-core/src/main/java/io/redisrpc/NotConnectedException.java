package io.redisrpc;

/**
 * No live server serves the called service, so the call was not sent (the seed's {@code
 * RpcNotConnectedError}), or the client itself is not connected to Redis. Status {@link
 * StatusCode#UNAVAILABLE}.
 */
public final class NotConnectedException extends RpcException {
  private static final long serialVersionUID = 1L;

  /** A not-connected error with {@code message}. */
  public NotConnectedException(String message) {
    super(StatusCode.UNAVAILABLE, message);
  }

  /** A not-connected error with {@code message} and the {@code cause} behind it. */
  public NotConnectedException(String message, Throwable cause) {
    super(StatusCode.UNAVAILABLE, message, cause);
  }
}
