package io.redisrpc.internal.codec;

/** Bytes that are not a message of this protocol; nobody can be answered about them. */
public final class MalformedMessageException extends Exception {
  private static final long serialVersionUID = 1L;

  MalformedMessageException(String message) {
    super(message);
  }

  MalformedMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
