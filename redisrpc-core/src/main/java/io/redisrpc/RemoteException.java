package io.redisrpc;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An error reported by the server that handled a call: an exception the handler raised, or a
 * request the server refused (unknown method, undecodable arguments, passed deadline).
 */
public final class RemoteException extends RpcException {
  private static final long serialVersionUID = 1L;

  private final @Nullable String remoteType;
  private final String remoteMessage;
  private final String method;

  /**
   * An error for {@code method} (as {@code Service.method}) with the server's {@code code}, its
   * {@code remoteMessage}, and the class name of the remote exception if any.
   */
  public RemoteException(
      StatusCode code, String remoteMessage, @Nullable String remoteType, String method) {
    super(code, describe(code, remoteMessage, remoteType, method));
    this.remoteType = remoteType;
    this.remoteMessage = Objects.requireNonNull(remoteMessage, "remoteMessage == null");
    this.method = Objects.requireNonNull(method, "method == null");
  }

  private static String describe(
      StatusCode code, String message, @Nullable String type, String method) {
    String origin = type == null ? "from " + method : type + " from " + method;
    return code + ": " + message + " (" + origin + ")";
  }

  @Override
  public Optional<String> remoteType() {
    return Optional.ofNullable(remoteType);
  }

  /** The message as the server wrote it, without the code and origin this exception adds. */
  public String remoteMessage() {
    return remoteMessage;
  }

  /** The method that failed, as {@code Service.method}. */
  public String method() {
    return method;
  }
}
