package io.redisrpc;

/**
 * Why a call failed, with the meanings of gRPC's status codes. The name of the constant is what
 * travels on the wire.
 */
public enum StatusCode {
  /** The call was cancelled, usually by the caller. */
  CANCELLED,
  /** An error the handler raised without saying more; the default for application exceptions. */
  UNKNOWN,
  /** The arguments are invalid, whatever the state of the system. */
  INVALID_ARGUMENT,
  /** The deadline passed before the call completed. */
  DEADLINE_EXCEEDED,
  /** Something the call asked for does not exist. */
  NOT_FOUND,
  /** Something the call tried to create exists already. */
  ALREADY_EXISTS,
  /** The caller may not do this. */
  PERMISSION_DENIED,
  /** A limit was reached (a quota, a queue, a size). */
  RESOURCE_EXHAUSTED,
  /** The system is not in the state the call needs. */
  FAILED_PRECONDITION,
  /** The call was aborted, typically by a concurrency conflict. */
  ABORTED,
  /** An argument is past the valid range. */
  OUT_OF_RANGE,
  /** The service does not implement this method. */
  UNIMPLEMENTED,
  /** A broken invariant inside redisrpc or the handler. */
  INTERNAL,
  /** The service cannot be reached now; trying again later may work. */
  UNAVAILABLE,
  /** Unrecoverable loss or corruption of data. */
  DATA_LOSS,
  /** The caller has no valid credentials. */
  UNAUTHENTICATED;

  /** The code named {@code name}, or {@link #UNKNOWN} for a name this version does not know. */
  public static StatusCode fromName(String name) {
    for (StatusCode code : values()) {
      if (code.name().equals(name)) {
        return code;
      }
    }
    return UNKNOWN;
  }
}
