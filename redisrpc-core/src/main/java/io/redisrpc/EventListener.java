package io.redisrpc;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The phases of calls, with their times, for timings without a metrics library: OkHttp's {@code
 * EventListener} for redisrpc. Override the methods of the phases you want; the others do nothing.
 * Each method gets the call as it stands in that phase (client interceptors may have changed it
 * between {@link #callStart} and {@link #requestEncoded}) and {@code nanoTime}, the {@link
 * System#nanoTime()} at which the phase happened.
 *
 * <p>A client's call: {@link #callStart}, {@link #requestEncoded}, {@link #requestEnqueued}, {@link
 * #replyReceived}, then {@link #callEnd} or {@link #callFailed} (a call that fails before it is
 * enqueued, or never hears back, skips the phases in between). A server's call whose handler runs:
 * {@link #requestTaken}, {@link #handlerStart}, {@link #handlerEnd}, {@link #replyPublished}; calls
 * the server answers without running the handler (unknown method, deadline passed, cancelled,
 * answered from an idempotency record) and entries it refuses are not reported.
 *
 * <p>Methods run on redisrpc's threads, Redis' I/O threads among them: they must be fast, must not
 * block or throw, and must not call back into redisrpc. With no listener set nothing is created per
 * call.
 */
public abstract class EventListener {
  /** A listener that ignores every phase. */
  public static final EventListener NONE = new EventListener() {};

  /** For subclasses. */
  protected EventListener() {}

  /** A factory handing {@code listener} to every call. */
  public static Factory factory(EventListener listener) {
    Objects.requireNonNull(listener, "listener == null");
    return call -> listener;
  }

  /** Client: the proxy method was called (or a lazy adapter started the call). */
  public void callStart(RpcCall call, long nanoTime) {}

  /** Client: the request is encoded, {@code bytes} long, after the interceptors ran. */
  public void requestEncoded(RpcCall call, int bytes, long nanoTime) {}

  /** Client: Redis appended the request to the service's stream. */
  public void requestEnqueued(RpcCall call, long nanoTime) {}

  /** Client: the reply arrived, before it is handed to the caller. */
  public void replyReceived(RpcCall call, long nanoTime) {}

  /** Client: the call ended with its result. */
  public void callEnd(RpcCall call, long nanoTime) {}

  /** Client: the call ended with {@code error}, as the caller gets it. */
  public void callFailed(RpcCall call, Throwable error, long nanoTime) {}

  /** Server: the request was taken from the stream (reported once its handler is about to run). */
  public void requestTaken(RpcCall call, long nanoTime) {}

  /** Server: the handler method is called, after the server's interceptors. */
  public void handlerStart(RpcCall call, long nanoTime) {}

  /** Server: the handler's result is ready, or it failed with {@code error}. */
  public void handlerEnd(RpcCall call, @Nullable Throwable error, long nanoTime) {}

  /** Server: the reply was published to the caller (or parked for it, or given up on). */
  public void replyPublished(RpcCall call, long nanoTime) {}

  /** Creates the listener of each call, which may keep state of its own across the phases. */
  @FunctionalInterface
  public interface Factory {
    /** The listener of {@code call}, as it is before any interceptor ran; never null. */
    EventListener create(RpcCall call);
  }
}
