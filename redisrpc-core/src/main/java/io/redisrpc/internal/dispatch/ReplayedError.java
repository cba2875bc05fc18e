package io.redisrpc.internal.dispatch;

import io.redisrpc.internal.codec.ErrorBody;

/**
 * The error a call with an idempotency key answered before, answered again as it was: its body
 * travels unchanged.
 */
final class ReplayedError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient ErrorBody body;

  ReplayedError(ErrorBody body) {
    super(body.message(), null, false, false);
    this.body = body;
  }

  ErrorBody body() {
    return body;
  }
}
