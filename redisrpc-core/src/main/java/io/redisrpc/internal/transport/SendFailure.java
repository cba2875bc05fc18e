package io.redisrpc.internal.transport;

import io.lettuce.core.RedisCommandExecutionException;

/**
 * What a failed ENQUEUE says about the request: whether it certainly is not in the stream (the
 * caller may be told at once, and may safely try again) or may be (then only its reply or its
 * deadline may end the call: an at-most-once call that perhaps ran must never look as if it did
 * not).
 */
enum SendFailure {
  /** Redis refused it, or it was never written: nothing was appended. */
  NOT_SENT,
  /**
   * Nothing was appended, and trying again soon may work: the stream could take no entry (its ids
   * were pushed to the end), or the cluster slot is being moved or has no owner for a moment.
   */
  TRY_AGAIN,
  /** The connection failed while the script was on its way or running: it may have appended. */
  MAYBE_SENT;

  /**
   * Lettuce rejects a command outright while its connection is down (the clients run with {@code
   * DisconnectedBehavior.REJECT_COMMANDS}); it fails, and never replays, the commands that were in
   * flight when a connection dropped.
   */
  private static final String REJECTED_WHILE_DISCONNECTED = "Currently not connected";

  /** What Redis refusing a request with {@code message} means: nothing was appended. */
  static SendFailure ofRefusal(String message) {
    return message.contains("exhausted the last possible ID")
            || message.startsWith("TRYAGAIN")
            || message.startsWith("CLUSTERDOWN")
        ? TRY_AGAIN
        : NOT_SENT;
  }

  static SendFailure of(Throwable error) {
    Throwable e = error;
    while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof RedisCommandExecutionException) {
      // Redis answered: the script failed before or at its XADD, which is its last command.
      return ofRefusal(String.valueOf(e.getMessage()));
    }
    if (String.valueOf(e.getMessage()).startsWith(REJECTED_WHILE_DISCONNECTED)) {
      return NOT_SENT;
    }
    return MAYBE_SENT;
  }
}
