package io.redisrpc.internal.dispatch;

import io.redisrpc.Codec;
import io.redisrpc.Deadline;
import io.redisrpc.Interceptor;
import io.redisrpc.RpcCall;
import io.redisrpc.RpcException;
import io.redisrpc.StatusCode;
import io.redisrpc.internal.InterceptorChain;
import io.redisrpc.internal.codec.ErrorBody;
import io.redisrpc.internal.codec.IncomingRequest;
import io.redisrpc.internal.codec.MalformedMessageException;
import io.redisrpc.internal.codec.MethodCodec;
import io.redisrpc.internal.codec.WireCodec;
import io.redisrpc.internal.proxy.MethodModel;
import io.redisrpc.internal.proxy.ServiceModel;
import io.redisrpc.internal.stats.CallStats;
import io.redisrpc.internal.transport.MessageSigner;
import io.redisrpc.internal.transport.RedisKeys;
import io.redisrpc.internal.transport.ServerTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of a call, from a stream entry to its reply: decode, check the deadline, run the
 * interceptors and the handler, publish the reply, acknowledge.
 */
public final class Dispatcher implements ServerTransport.Handler {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final ServiceModel model;
  private final RedisKeys keys;
  private final List<Interceptor> interceptors;
  private final Executor executor;
  private final int maxMessageBytes;
  private final int maxDeliveries;
  private final @Nullable MessageSigner signer;
  private static final byte[] SEPARATOR = {0};
  private final Map<String, Map<String, MethodCodec>> codecs = new HashMap<>();
  private final Map<String, HandlerInvoker> handlers = new HashMap<>();
  private final AtomicLong rejected = new AtomicLong();
  private final ArgumentValidator validator;
  private final Map<String, RunningCall> running = new java.util.concurrent.ConcurrentHashMap<>();
  private final CancelledCalls cancelled = new CancelledCalls(10_000);
  private final CallStats stats;
  private @Nullable ServerTransport transport;

  /** A dispatcher of calls to {@code implementation}. */
  public Dispatcher(
      ServiceModel model,
      Object implementation,
      List<Interceptor> interceptors,
      Executor executor,
      int maxMessageBytes,
      int maxDeliveries,
      @Nullable MessageSigner signer) {
    this.signer = signer;
    this.model = model;
    this.keys = new RedisKeys(model.name());
    this.interceptors = List.copyOf(interceptors);
    this.executor = executor;
    this.maxMessageBytes = maxMessageBytes;
    this.maxDeliveries = maxDeliveries;
    for (Codec codec : List.of(Codec.JSON, Codec.MSGPACK)) {
      WireCodec wire = WireCodec.of(codec);
      Map<String, MethodCodec> byName = new HashMap<>();
      for (MethodModel method : model.endpoints()) {
        byName.put(method.name(), wire.methodCodec(method));
      }
      codecs.put(codec.name(), byName);
    }
    for (MethodModel method : model.endpoints()) {
      handlers.put(method.name(), new HandlerInvoker(method, implementation));
    }
    this.validator = new ArgumentValidator(model);
    List<String> names = new java.util.ArrayList<>();
    model.endpoints().forEach(m -> names.add(m.name()));
    this.stats = new CallStats(names);
  }

  /** The statistics of the calls this dispatcher answered. */
  public CallStats stats() {
    return stats;
  }

  /** Connects this dispatcher to the transport it serves. */
  public void attach(ServerTransport transport) {
    this.transport = transport;
  }

  @Override
  public long rejectedMessages() {
    return rejected.get();
  }

  @Override
  public void onRequest(
      String entryId,
      byte @Nullable [] codecName,
      byte @Nullable [] payload,
      byte @Nullable [] signature,
      long deliveries) {
    executor.execute(() -> handle(entryId, codecName, payload, signature, deliveries));
  }

  private void handle(
      String entryId,
      byte @Nullable [] codecName,
      byte @Nullable [] payload,
      byte @Nullable [] signature,
      long deliveries) {
    ServerTransport t = transport;
    if (t == null) {
      throw new IllegalStateException("dispatcher not attached");
    }
    WireCodec codec =
        codecName == null ? null : WireCodec.forName(new String(codecName, StandardCharsets.UTF_8));
    if (codec == null || payload == null) {
      reject(t, entryId, "it has no known codec or no payload");
      return;
    }
    if (signer != null
        && (signature == null || !signer.verify(signature, codecName, SEPARATOR, payload))) {
      // Not from a holder of the secret: neither run nor answer it.
      reject(t, entryId, "it is unsigned or wrongly signed");
      return;
    }
    if (payload.length > maxMessageBytes) {
      reject(t, entryId, "its payload of " + payload.length + " bytes is over the limit");
      return;
    }
    Map<String, MethodCodec> endpoints = codecs.get(codec.codec().name());
    IncomingRequest request;
    try {
      request = codec.decodeRequest(payload, endpoints::get);
    } catch (MalformedMessageException | RuntimeException | StackOverflowError e) {
      // Whatever a stranger wrote into the stream, the server goes on serving.
      reject(t, entryId, String.valueOf(e.getMessage()));
      return;
    }
    if (!keys.isReplyChannel(request.replyTo())) {
      // Never publish where a stranger asks: only to reply channels of this service.
      reject(t, entryId, "its reply_to is not a reply channel of " + model.name());
      return;
    }
    if (BuiltInPing.METHOD.equals(request.method())) {
      BuiltInPing.answer(t, entryId, codec, request, model.name());
      return;
    }
    stats.started(entryId, request.method());
    // Every request stays pending in the stream until its reply is out: when its server dies,
    // another one finds it, runs it again if idempotent, and otherwise tells the caller it is lost.
    MethodModel method = request.codec() == null ? null : request.codec().model();
    boolean atLeastOnce = method != null && method.idempotent();
    if (deliveries > 1 && !atLeastOnce) {
      // Its server died after taking it: it may have run, and at-most-once means never twice.
      reply(
          t,
          entryId,
          codec,
          request,
          null,
          new RpcException(
              StatusCode.UNAVAILABLE,
              "The server running "
                  + model.name()
                  + "."
                  + request.method()
                  + " stopped before answering; at-most-once calls are not retried"),
          true);
      return;
    }
    if (deliveries > maxDeliveries) {
      String why =
          model.name()
              + "."
              + request.method()
              + " was delivered "
              + (deliveries - 1)
              + " times without completing; moved to the dead-letter stream";
      log.warn("Request {}: {}", entryId, why);
      t.deadLetter(entryId, codecName, payload, deliveries - 1, why);
      reply(t, entryId, codec, request, null, new RpcException(StatusCode.UNAVAILABLE, why), false);
      return;
    }
    if (request.failure() != null) {
      reply(t, entryId, codec, request, null, request.failure(), true);
      return;
    }
    Deadline deadline = deadline(t, entryId, request.timeoutMillis());
    if (deadline.isExpired()) {
      reply(
          t,
          entryId,
          codec,
          request,
          null,
          new RpcException(
              StatusCode.DEADLINE_EXCEEDED,
              "The deadline of " + method.qualifiedName() + " passed before it started"),
          true);
      return;
    }
    RpcException invalid = validator.validate(method, request.arguments());
    if (invalid != null) {
      reply(t, entryId, codec, request, null, invalid, true);
      return;
    }
    RpcCall call =
        RpcCall.create(
            model.name(),
            request.method(),
            Arrays.asList(request.arguments()),
            request.headers(),
            deadline);
    String callKey = request.replyTo() + " " + request.id();
    if (cancelled.remove(callKey)) {
      reply(
          t,
          entryId,
          codec,
          request,
          null,
          new RpcException(
              StatusCode.CANCELLED, method.qualifiedName() + " was cancelled before it started"),
          true);
      return;
    }
    HandlerInvoker handler = handlers.get(request.method());
    RunningCall runningCall = new RunningCall(Thread.currentThread());
    running.put(callKey, runningCall);
    if (cancelled.remove(callKey)) {
      // The cancellation arrived between the check above and now.
      runningCall.cancel();
    }
    CompletionStage<@Nullable Object> result;
    try {
      result = InterceptorChain.run(interceptors, call, handler::invoke);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    } finally {
      runningCall.leftHandlerThread();
    }
    runningCall.running(result.toCompletableFuture());
    result.whenComplete(
        (value, error) -> {
          running.remove(callKey, runningCall);
          reply(t, entryId, codec, request, value, error, true);
        });
  }

  @Override
  public void onCancel(String replyTo, String id) {
    String callKey = replyTo + " " + id;
    RunningCall call = running.get(callKey);
    if (call != null) {
      call.cancel();
    } else {
      // Not started here (yet): whichever server reads it skips it.
      cancelled.add(callKey);
    }
  }

  /** The call's deadline: the entry id holds Redis' time of enqueueing, the request its timeout. */
  private static Deadline deadline(ServerTransport t, String entryId, long timeoutMillis) {
    if (timeoutMillis <= 0) {
      return Deadline.after(Duration.ofDays(365));
    }
    long enqueuedAt;
    try {
      enqueuedAt = Long.parseLong(entryId.substring(0, entryId.indexOf('-')));
    } catch (RuntimeException e) {
      enqueuedAt = t.redisNowMillis();
    }
    long remaining = enqueuedAt + timeoutMillis - t.redisNowMillis();
    return Deadline.after(Duration.ofMillis(remaining));
  }

  private void reply(
      ServerTransport t,
      String entryId,
      WireCodec codec,
      IncomingRequest request,
      @Nullable Object value,
      @Nullable Throwable error,
      boolean acknowledgeAfter) {
    MethodCodec method = request.codec();
    byte[] payload;
    if (error == null && method != null) {
      try {
        payload = codec.encodeResult(request.id(), method, value);
        stats.finished(entryId, null, null);
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
        payload = codec.encodeError(request.id(), body);
      }
    } else {
      Throwable failure =
          error != null ? error : new RpcException(StatusCode.INTERNAL, "no result and no error");
      ErrorBody body = Errors.toBody(failure, method == null ? null : method.model());
      if (body.code().equals(StatusCode.UNKNOWN.name()) || body.code().equals("INTERNAL")) {
        log.debug("{}.{} failed", model.name(), request.method(), Errors.unwrap(failure));
      }
      stats.finished(entryId, body.code(), body.message());
      payload = codec.encodeError(request.id(), body);
    }
    t.publish(request.replyTo(), payload)
        .whenComplete(
            (receivers, publishError) -> {
              if (publishError != null) {
                log.warn(
                    "Reply to {} of {} was not published: {}",
                    request.id(),
                    model.name(),
                    publishError.getMessage());
              }
              if (acknowledgeAfter && publishError == null) {
                t.acknowledge(entryId).whenComplete((ok, e) -> t.finished(entryId));
              } else {
                t.finished(entryId);
              }
            });
  }

  private void reject(ServerTransport t, String entryId, @Nullable String why) {
    long count = rejected.incrementAndGet();
    if (count == 1) {
      log.warn("Rejected request {} of {}: {}", entryId, model.name(), why);
    } else {
      log.debug("Rejected request {} of {} ({} so far): {}", entryId, model.name(), count, why);
    }
    t.acknowledge(entryId).whenComplete((ok, e) -> t.finished(entryId));
  }
}
