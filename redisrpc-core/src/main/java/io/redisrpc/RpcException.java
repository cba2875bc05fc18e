package io.redisrpc;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A call that did not complete normally, with the {@link StatusCode} saying why.
 *
 * <p>Handlers may throw it to choose the code their caller sees: {@code throw new
 * RpcException(StatusCode.NOT_FOUND, "no file " + name)}. Errors that came back from a server
 * arrive as {@link RemoteException}; a missed deadline as {@link DeadlineExceededException}; no
 * live server as {@link NotConnectedException}.
 */
public class RpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final StatusCode code;

  /** An exception with {@code code} and {@code message}. */
  public RpcException(StatusCode code, String message) {
    this(code, message, null);
  }

  /** An exception with {@code code}, {@code message} and the {@code cause} behind it. */
  public RpcException(StatusCode code, String message, @Nullable Throwable cause) {
    super(Objects.requireNonNull(message, "message == null"), cause);
    this.code = Objects.requireNonNull(code, "code == null");
  }

  /** Why the call failed. */
  public StatusCode code() {
    return code;
  }

  /**
   * The fully qualified class name of the exception the remote handler raised, when there was one.
   */
  public Optional<String> remoteType() {
    return Optional.empty();
  }
}
