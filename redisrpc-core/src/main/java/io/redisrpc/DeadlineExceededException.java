package io.redisrpc;

/**
 * The call's deadline passed before its reply arrived: the caller's timeout, the seed's {@code
 * callback_timeout}. Nothing of the call stays behind on the client.
 */
public final class DeadlineExceededException extends RpcException {
  private static final long serialVersionUID = 1L;

  /** A deadline exceeded with {@code message}. */
  public DeadlineExceededException(String message) {
    super(StatusCode.DEADLINE_EXCEEDED, message);
  }
}
