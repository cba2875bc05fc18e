package io.redisrpc;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One invocation of an endpoint through a client proxy, as a {@link CallAdapter} gets it: the
 * arguments are bound, nothing is sent yet. Each {@link #execute()} or {@link #start()} sends the
 * call anew, with a deadline of its own counted from then (and never later than the deadline of the
 * call being handled when the proxy was invoked), so a lazy adapter may start it on subscription,
 * and again on each resubscription.
 *
 * @param <T> the result type
 */
public interface RemoteCall<T> {
  /** The endpoint called, as {@code Service.endpoint}, for messages. */
  String endpoint();

  /**
   * Sends the call and waits for its result, at most until its deadline (which interceptors may
   * move).
   *
   * @throws Exception the exception the endpoint declares, if the handler threw it; otherwise an
   *     {@link RpcException} ({@link DeadlineExceededException} at the deadline, {@link
   *     RemoteException} for a handler's error); an interrupted caller cancels the call
   */
  @Nullable T execute() throws Exception;

  /**
   * Sends the call. The future completes on the client's callback executor, never on a Redis I/O
   * thread, with the result or with the exception {@link #execute()} would throw; cancelling it
   * cancels the call.
   */
  CompletableFuture<@Nullable T> start();
}
