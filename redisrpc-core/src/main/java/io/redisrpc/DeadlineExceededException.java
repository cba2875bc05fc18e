package io.redisrpc;

/**
 * The call's deadline passed before its reply arrived: the caller's timeout, the seed's {@code
 * callback_timeout}. Nothing of the call stays behind on the client. Every {@link
 * StatusCode#DEADLINE_EXCEEDED} arrives as this type, whether the client's timer noticed first or
 * the server answered that the deadline had passed (then the cause is the server's {@link
 * RemoteException}).
 */
public final class DeadlineExceededException extends RpcException {
  private static final long serialVersionUID = 1L;

  /** A deadline exceeded with {@code message}. */
  public DeadlineExceededException(String message) {
    super(StatusCode.DEADLINE_EXCEEDED, message);
  }

  /**
   * A deadline exceeded with {@code message}, found by the server: {@code cause} is its {@link
   * RemoteException}, with the server's own message.
   */
  public DeadlineExceededException(String message, Throwable cause) {
    super(StatusCode.DEADLINE_EXCEEDED, message, cause);
  }
}
