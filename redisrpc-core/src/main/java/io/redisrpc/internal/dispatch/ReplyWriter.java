package io.redisrpc.internal.dispatch;

import io.redisrpc.StatusCode;
import io.redisrpc.internal.codec.ErrorBody;
import io.redisrpc.internal.codec.MethodCodec;
import io.redisrpc.internal.codec.WireCodec;
import io.redisrpc.internal.proxy.MethodModel;
import io.redisrpc.internal.stats.CallStats;
import io.redisrpc.internal.transport.ServerTransport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last leg of a call on the server: encodes its outcome, counts it, delivers the reply (see
 * {@link ServerTransport#reply}) and acknowledges the entry.
 */
final class ReplyWriter {
  private static final Logger log = LoggerFactory.getLogger(ReplyWriter.class);

  private final String service;
  private final CallStats stats;

  /** What must happen to a call's encoded reply before it leaves. */
  @FunctionalInterface
  interface Outcome {
    /**
     * Called with the encoded reply and its error code (null for a result); the reply leaves once
     * the returned stage completes, whatever its outcome.
     */
    CompletionStage<?> beforeReply(byte[] reply, @Nullable String errorCode);
  }

  ReplyWriter(String service, CallStats stats) {
    this.service = service;
    this.stats = stats;
  }

  /**
   * Replies to call {@code id} of {@code replyTo} with {@code value} or {@code error}, then
   * acknowledges entry {@code entryId} unless {@code acknowledge} is false (it was dealt with
   * otherwise). A {@code oneWay} call is counted, and its outcome recorded, but nothing is
   * published: nobody waits for it, so its errors are logged instead. The future completes when all
   * is done, whatever the outcome; it never fails.
   */
  CompletableFuture<Void> send(
      ServerTransport t,
      String entryId,
      WireCodec codec,
      String id,
      String replyTo,
      String methodName,
      @Nullable MethodCodec method,
      long deadlineMillis,
      @Nullable Object value,
      @Nullable Throwable error,
      boolean acknowledge,
      boolean batchable,
      boolean oneWay,
      @Nullable Outcome outcome,
      @Nullable Runnable published) {
    byte[] payload;
    String errorCode = null;
    try {
      payload = encode(entryId, codec, id, methodName, method, value, error);
      errorCode = error == null ? null : Errors.toBody(error, null).code();
    } catch (RuntimeException e) {
      log.error("Cannot encode the reply to {} of {}", id, service, e);
      errorCode = StatusCode.INTERNAL.name();
      payload = codec.encodeError(id, new ErrorBody(errorCode, "", null, null));
    }
    if (oneWay && error != null) {
      // Nobody else will ever hear of it.
      log.warn(
          "One-way call {} of {}.{} failed with {}",
          id,
          service,
          methodName,
          errorCode,
          Errors.unwrap(error));
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    byte[] reply = payload;
    CompletionStage<Boolean> sent =
        outcome == null
            ? deliver(t, replyTo, id, reply, deadlineMillis, batchable, oneWay)
            : outcome
                .beforeReply(reply, errorCode)
                .handle((ignored, e) -> null)
                .thenCompose(
                    ignored -> deliver(t, replyTo, id, reply, deadlineMillis, batchable, oneWay));
    sent.whenComplete(
        (delivered, e) -> {
          if (published != null) {
            published.run();
          }
          if (!acknowledge) {
            done.complete(null);
            return;
          }
          // Acknowledged even when undelivered: its deadline passed, nobody waits any more.
          t.acknowledge(entryId).whenComplete((ok, ackError) -> done.complete(null));
        });
    return done;
  }

  private static CompletionStage<Boolean> deliver(
      ServerTransport t,
      String replyTo,
      String id,
      byte[] reply,
      long deadlineMillis,
      boolean batchable,
      boolean oneWay) {
    return oneWay
        ? CompletableFuture.completedFuture(false)
        : t.reply(replyTo, id, reply, deadlineMillis, batchable);
  }

  private byte[] encode(
      String entryId,
      WireCodec codec,
      String id,
      String methodName,
      @Nullable MethodCodec method,
      @Nullable Object value,
      @Nullable Throwable error) {
    if (error == null && method != null) {
      try {
        byte[] payload = codec.encodeResult(id, method, value);
        stats.finished(entryId, null, null);
        return payload;
      } catch (Exception e) {
        ErrorBody body =
            new ErrorBody(
                StatusCode.INTERNAL.name(),
                "Cannot encode the result of "
                    + method.model().qualifiedName()
                    + ": "
                    + e.getMessage(),
                null,
                null);
        stats.finished(entryId, body.code(), body.message());
        return codec.encodeError(id, body);
      }
    }
    Throwable failure =
        error != null
            ? error
            : new io.redisrpc.RpcException(StatusCode.INTERNAL, "no result and no error");
    MethodModel model = method == null ? null : method.model();
    ErrorBody body = Errors.toBody(failure, model);
    if (body.code().equals(StatusCode.UNKNOWN.name())
        || body.code().equals(StatusCode.INTERNAL.name())) {
      log.debug("{}.{} failed", service, methodName, Errors.unwrap(failure));
    }
    stats.finished(entryId, body.code(), body.message());
    return codec.encodeError(id, body);
  }
}
