package io.redisrpc.opentelemetry;

import io.redisrpc.RemoteException;
import io.redisrpc.RpcException;
import io.redisrpc.StatusCode;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The status code of a failed call, as the caller sees it. The table of a handler's exceptions is
 * the one the README documents under "Errors" (the server's own, which core keeps internal).
 */
final class StatusCodes {
  private StatusCodes() {}

  /** The status of a call whose stage failed with {@code failure} on a client. */
  static StatusCode ofClientFailure(Throwable failure) {
    Throwable e = unwrap(failure);
    if (!(e instanceof RpcException) && e.getCause() instanceof RemoteException) {
      // A declared exception type, rebuilt on the client around the remote error.
      return ((RemoteException) e.getCause()).code();
    }
    return of(e);
  }

  /** The status a server answers a handler's {@code failure} with. */
  static StatusCode ofServerFailure(Throwable failure) {
    return of(unwrap(failure));
  }

  static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException
            || e instanceof ExecutionException
            || e instanceof InvocationTargetException
            || e instanceof UndeclaredThrowableException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static StatusCode of(Throwable e) {
    if (e instanceof RpcException) {
      return ((RpcException) e).code();
    } else if (e instanceof IllegalArgumentException) {
      return StatusCode.INVALID_ARGUMENT;
    } else if (e instanceof NoSuchElementException) {
      return StatusCode.NOT_FOUND;
    } else if (e instanceof UnsupportedOperationException) {
      return StatusCode.UNIMPLEMENTED;
    } else if (e instanceof IllegalStateException) {
      return StatusCode.FAILED_PRECONDITION;
    } else if (e instanceof SecurityException) {
      return StatusCode.PERMISSION_DENIED;
    } else if (e instanceof TimeoutException) {
      return StatusCode.DEADLINE_EXCEEDED;
    } else if (e instanceof CancellationException || e instanceof InterruptedException) {
      return StatusCode.CANCELLED;
    }
    return StatusCode.UNKNOWN;
  }
}
