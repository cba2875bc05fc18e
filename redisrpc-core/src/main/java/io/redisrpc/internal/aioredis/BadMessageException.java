package io.redisrpc.internal.aioredis;

/** Bytes that are not an aioredis-rpc message, or one that names nobody to answer. */
public final class BadMessageException extends Exception {
  private static final long serialVersionUID = 1L;

  BadMessageException(String message) {
    super(message);
  }

  BadMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
