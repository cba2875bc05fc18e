package io.redisrpc.internal.dispatch;

import io.redisrpc.DeadlineExceededException;
import io.redisrpc.RemoteException;
import io.redisrpc.RpcException;
import io.redisrpc.StatusCode;
import io.redisrpc.internal.codec.ErrorBody;
import io.redisrpc.internal.proxy.MethodModel;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/** Exceptions to error messages on the server, and error messages to exceptions on the client. */
public final class Errors {
  private Errors() {}

  /** The exception a failed stage or reflective call really carries. */
  public static Throwable unwrap(Throwable t) {
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

  /**
   * The status a server answers a handler's {@code failure} with (the table the README documents
   * under "Errors"), for the telemetry modules as well as the server.
   */
  public static StatusCode serverCode(Throwable failure) {
    return codeOf(unwrap(failure));
  }

  /**
   * The status of a call whose stage failed with {@code failure} on a client: that of its {@link
   * RpcException}, or of the {@link RemoteException} inside a declared exception the client rebuilt
   * from the server's error ({@link #toException}).
   */
  public static StatusCode clientCode(Throwable failure) {
    Throwable e = unwrap(failure);
    if (!(e instanceof RpcException) && e.getCause() instanceof RemoteException) {
      return ((RemoteException) e.getCause()).code();
    }
    return codeOf(e);
  }

  /** The status a handler's exception is reported with, as gRPC maps Java exceptions. */
  static StatusCode codeOf(Throwable e) {
    if (e instanceof RpcException) {
      return ((RpcException) e).code();
    }
    if (e instanceof IllegalArgumentException) {
      return StatusCode.INVALID_ARGUMENT;
    }
    if (e instanceof NoSuchElementException) {
      return StatusCode.NOT_FOUND;
    }
    if (e instanceof UnsupportedOperationException) {
      return StatusCode.UNIMPLEMENTED;
    }
    if (e instanceof IllegalStateException) {
      return StatusCode.FAILED_PRECONDITION;
    }
    if (e instanceof SecurityException) {
      return StatusCode.PERMISSION_DENIED;
    }
    if (e instanceof TimeoutException) {
      return StatusCode.DEADLINE_EXCEEDED;
    }
    if (e instanceof CancellationException || e instanceof InterruptedException) {
      return StatusCode.CANCELLED;
    }
    return StatusCode.UNKNOWN;
  }

  /** The wire form of {@code failure}, raised while running {@code method} (null if unknown). */
  public static ErrorBody toBody(Throwable failure, @Nullable MethodModel method) {
    Throwable e = unwrap(failure);
    if (e instanceof ReplayedError) {
      return ((ReplayedError) e).body();
    }
    String message;
    String type;
    if (e instanceof RemoteException) {
      // A nested call failed: pass its code and origin on rather than blame ourselves.
      RemoteException remote = (RemoteException) e;
      message = remote.remoteMessage();
      type = remote.remoteType().orElse(null);
    } else if (e instanceof RpcException && e.getClass().getPackageName().equals("io.redisrpc")) {
      message = String.valueOf(e.getMessage());
      type = null;
    } else {
      message = e.getMessage() == null ? "" : e.getMessage();
      type = e.getClass().getName();
    }
    String declared = null;
    if (method != null) {
      for (Class<?> candidate : method.declaredExceptions()) {
        if (candidate.isInstance(e)) {
          declared = candidate.getName();
          break;
        }
      }
    }
    return new ErrorBody(codeOf(e).name(), message, type, declared);
  }

  /**
   * The exception a caller of {@code method} gets for {@code body}: the declared exception type it
   * names when the method declares it, else a {@link RemoteException}. Class names from the wire
   * are only compared with the method's own declared types, never loaded.
   */
  public static Throwable toException(ErrorBody body, MethodModel method) {
    RemoteException remote =
        new RemoteException(
            StatusCode.fromName(body.code()), body.message(), body.type(), method.qualifiedName());
    if (body.declared() != null) {
      for (Class<?> candidate : method.declaredExceptions()) {
        if (candidate.getName().equals(body.declared())) {
          Throwable declared = instantiate(candidate, body.message(), remote);
          if (declared != null) {
            return declared;
          }
        }
      }
    }
    if (remote.code() == StatusCode.DEADLINE_EXCEEDED) {
      // One status, one type: whichever noticed first, the caller's timer or the server.
      return new DeadlineExceededException(remote.getMessage(), remote);
    }
    return remote;
  }

  private static @Nullable Throwable instantiate(
      Class<?> type, String message, RemoteException cause) {
    try {
      Constructor<?> withCause = type.getConstructor(String.class, Throwable.class);
      return (Throwable) withCause.newInstance(message, cause);
    } catch (ReflectiveOperationException | RuntimeException ignored) {
      // fall through to the other usual shapes
    }
    try {
      Throwable t = (Throwable) type.getConstructor(String.class).newInstance(message);
      initCause(t, cause);
      return t;
    } catch (ReflectiveOperationException | RuntimeException ignored) {
      // fall through
    }
    try {
      Throwable t = (Throwable) type.getConstructor().newInstance();
      initCause(t, cause);
      return t;
    } catch (ReflectiveOperationException | RuntimeException ignored) {
      return null;
    }
  }

  private static void initCause(Throwable t, Throwable cause) {
    try {
      t.initCause(cause);
    } catch (IllegalStateException alreadySet) {
      t.addSuppressed(cause);
    }
  }
}
