package io.redisrpc.internal.dispatch;

import io.netty.util.Timeout;
import io.redisrpc.Codec;
import io.redisrpc.Deadline;
import io.redisrpc.EventListener;
import io.redisrpc.Interceptor;
import io.redisrpc.RpcCall;
import io.redisrpc.RpcException;
import io.redisrpc.StatusCode;
import io.redisrpc.internal.IdempotencyKeys;
import io.redisrpc.internal.InterceptorChain;
import io.redisrpc.internal.Timers;
import io.redisrpc.internal.codec.ErrorBody;
import io.redisrpc.internal.codec.IncomingReply;
import io.redisrpc.internal.codec.IncomingRequest;
import io.redisrpc.internal.codec.MalformedMessageException;
import io.redisrpc.internal.codec.MethodCodec;
import io.redisrpc.internal.codec.WireCodec;
import io.redisrpc.internal.proxy.MethodModel;
import io.redisrpc.internal.proxy.ServiceModel;
import io.redisrpc.internal.stats.CallStats;
import io.redisrpc.internal.transport.MessageSigner;
import io.redisrpc.internal.transport.RequestEntry;
import io.redisrpc.internal.transport.ServerTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of a call, from a stream entry to its reply: check the entry, decode it, check
 * the deadline, run the interceptors and the handler (interrupting it when its deadline passes),
 * deliver the reply, acknowledge. Whatever happens, each entry's slot is freed exactly once.
 */
public final class Dispatcher implements ServerTransport.Handler {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final ServiceModel model;
  private final List<Interceptor> interceptors;
  private final Executor executor;
  private final int maxMessageBytes;
  private final int maxDeliveries;
  private final @Nullable MessageSigner signer;
  private final Map<String, WireCodec> wires = new HashMap<>();
  private final Map<String, Map<String, MethodCodec>> codecs = new HashMap<>();
  private final Map<String, HandlerInvoker> handlers = new HashMap<>();
  private final AtomicLong rejected = new AtomicLong();
  private final ArgumentValidator validator;
  private final Map<String, RunningCall> running = new ConcurrentHashMap<>();
  private final CancelledCalls cancelled = new CancelledCalls(10_000);
  private final Map<String, StreamingCall> streams = new ConcurrentHashMap<>();
  private final EarlyCredits earlyCredits = new EarlyCredits(10_000);
  private final CallStats stats;
  private final boolean inline;
  private final ReplyWriter replies;
  private final IdempotencyGuard idempotency;
  private final EventListener.@Nullable Factory listeners;
  private @Nullable ServerTransport transport;

  /** A dispatcher of calls to {@code implementation}. */
  public Dispatcher(
      ServiceModel model,
      Object implementation,
      List<Interceptor> interceptors,
      Executor executor,
      int maxMessageBytes,
      int maxDeliveries,
      @Nullable MessageSigner signer,
      boolean inline,
      List<Codec> codecList,
      long idempotencyWindowMillis,
      EventListener.@Nullable Factory listeners) {
    this.signer = signer;
    this.inline = inline;
    this.model = model;
    this.interceptors = List.copyOf(interceptors);
    this.executor = executor;
    this.maxMessageBytes = maxMessageBytes;
    this.maxDeliveries = maxDeliveries;
    for (Codec codec : codecList) {
      WireCodec wire = WireCodec.of(codec);
      Map<String, MethodCodec> byName = new HashMap<>();
      for (MethodModel method : model.endpoints()) {
        MethodCodec methodCodec = wire.methodCodec(method);
        byName.put(
            method.name(),
            methodCodec != null
                ? methodCodec
                : MethodCodec.refusing(
                    method,
                    wire,
                    "Codec '"
                        + codec.name()
                        + "' does not encode the types of "
                        + method.qualifiedName()
                        + " on this server"));
      }
      wires.put(codec.name(), wire);
      codecs.put(codec.name(), byName);
    }
    for (MethodModel method : model.endpoints()) {
      handlers.put(method.name(), new HandlerInvoker(method, implementation));
    }
    this.validator = new ArgumentValidator(model);
    List<String> names = new java.util.ArrayList<>();
    model.endpoints().forEach(m -> names.add(m.name()));
    this.stats = new CallStats(names);
    this.replies = new ReplyWriter(model.name(), stats);
    this.idempotency = new IdempotencyGuard(idempotencyWindowMillis);
    this.listeners = listeners;
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

  /**
   * Handles {@code entry}. With {@code inline}, on the thread that read it (a Redis I/O thread), up
   * to the handler: endpoints returning a {@code CompletionStage} run there too, as they must not
   * block, sparing two thread hand-offs per call; blocking ones move to the executor. Otherwise
   * everything runs on the executor.
   */
  @Override
  public void onRequest(RequestEntry entry) {
    if (inline) {
      handleSafely(entry);
    } else {
      executor.execute(() -> handleSafely(entry));
    }
  }

  private ServerTransport transport() {
    ServerTransport t = transport;
    if (t == null) {
      throw new IllegalStateException("dispatcher not attached");
    }
    return t;
  }

  /** Whatever goes wrong while handling an entry, its slot is freed and the server goes on. */
  private void handleSafely(RequestEntry entry) {
    try {
      handle(entry);
    } catch (RuntimeException | StackOverflowError e) {
      log.error("Handling request {} of {} failed", entry.id(), model.name(), e);
      transport().finished(entry.id());
    }
  }

  private void handle(RequestEntry entry) {
    ServerTransport t = transport();
    String entryId = entry.id();
    if (entry.duplicateField() != null) {
      // Which of the two values would the signature be checked against? Neither.
      reject(t, entryId, "it has field '" + entry.duplicateField() + "' twice");
      return;
    }
    byte[] codecName = entry.codec();
    byte[] payload = entry.payload();
    WireCodec codec =
        codecName == null ? null : wires.get(new String(codecName, StandardCharsets.UTF_8));
    if (codec == null || payload == null) {
      reject(t, entryId, "it has no known codec or no payload");
      return;
    }
    byte[] signature = entry.signature();
    if (signer != null
        && (signature == null
            || !signer.verifyRequest(signature, entry.keys().requests(), codecName, payload))) {
      // Not from a holder of the secret: neither run nor answer it.
      reject(t, entryId, "it is unsigned or wrongly signed");
      return;
    }
    if (payload.length > maxMessageBytes) {
      refuseOversize(t, entry, codec, payload);
      return;
    }
    Map<String, MethodCodec> endpoints = codecs.get(codec.codec().name());
    IncomingRequest decoded;
    try {
      decoded = codec.decodeRequest(payload, endpoints::get);
    } catch (MalformedMessageException | RuntimeException | StackOverflowError e) {
      // Whatever a stranger wrote into the stream, the server goes on serving.
      reject(t, entryId, String.valueOf(e.getMessage()));
      return;
    }
    // One broadcast message reaches every instance: each answers under a call id of its own.
    IncomingRequest request =
        entry.broadcast() ? decoded.withId(decoded.id() + "@" + t.instanceId()) : decoded;
    if (!entry.keys().isReplyChannel(request.replyTo())) {
      // Never publish where a stranger asks: only to reply channels of this service (partition).
      reject(t, entryId, "its reply_to is not a reply channel of " + model.name());
      return;
    }
    long now = t.redisNowMillis();
    long deadlineMillis = deadlineMillis(entry, request, now);
    if (request.version() > WireCodec.PROTOCOL_VERSION) {
      refuse(
          t,
          entry,
          codec,
          request,
          deadlineMillis,
          StatusCode.FAILED_PRECONDITION,
          "The request uses protocol version "
              + request.version()
              + "; this server of "
              + model.name()
              + " speaks versions 1 to "
              + WireCodec.PROTOCOL_VERSION);
      return;
    }
    if (signer != null) {
      String why = ReplayGuard.outsideWindow(request, now);
      if (why != null) {
        reject(t, entryId, why);
        return;
      }
    }
    if (BuiltInPing.METHOD.equals(request.method())) {
      BuiltInPing.answer(t, entryId, codec, request, model.name(), deadlineMillis);
      return;
    }
    if (signer == null) {
      proceed(t, entry, codec, request, deadlineMillis);
      return;
    }
    // Inline, the record's answer continues on the Redis I/O thread, as the request began there.
    ReplayGuard.firstTaking(t, request, entryId, entry.deliveries(), now)
        .whenCompleteAsync(
            (first, error) -> {
              try {
                if (error != null) {
                  // Cannot tell a replay from the original: run nothing, tell the caller.
                  refuse(
                      t,
                      entry,
                      codec,
                      request,
                      deadlineMillis,
                      StatusCode.UNAVAILABLE,
                      "Cannot record " + qualified(request) + ": " + error.getMessage());
                } else if (!first) {
                  reject(t, entryId, "it replays call " + request.id() + " taken before");
                } else {
                  proceed(t, entry, codec, request, deadlineMillis);
                }
              } catch (RuntimeException | StackOverflowError e) {
                log.error("Handling request {} of {} failed", entryId, model.name(), e);
                t.finished(entryId);
              }
            },
            inline ? Runnable::run : executor);
  }

  /** The checks after the request is known to be genuine, then the handler. */
  private void proceed(
      ServerTransport t,
      RequestEntry entry,
      WireCodec codec,
      IncomingRequest request,
      long deadlineMillis) {
    String entryId = entry.id();
    long deliveries = entry.deliveries();
    stats.started(entryId, request.method());
    // Every request stays pending in the stream until its reply is out: when its server dies,
    // another one finds it, runs it again if idempotent, and otherwise tells the caller it is lost.
    MethodModel method = request.codec() == null ? null : request.codec().model();
    boolean atLeastOnce = method != null && method.idempotent();
    if (deliveries > 1 && !atLeastOnce) {
      // Its server died after taking it: it may have run, and at-most-once means never twice.
      refuse(
          t,
          entry,
          codec,
          request,
          deadlineMillis,
          StatusCode.UNAVAILABLE,
          "The server running "
              + qualified(request)
              + " stopped before answering; at-most-once calls are not retried");
      return;
    }
    if (deliveries > maxDeliveries) {
      String why =
          qualified(request)
              + " was delivered "
              + (deliveries - 1)
              + " times without completing; moved to the dead-letter stream";
      log.warn("Request {}: {}", entryId, why);
      t.deadLetter(entryId, entry.codec(), entry.payload(), deliveries - 1, why)
          .whenComplete(
              (ok, error) ->
                  send(
                      t,
                      entryId,
                      codec,
                      request,
                      deadlineMillis,
                      null,
                      new RpcException(StatusCode.UNAVAILABLE, why),
                      false,
                      new CallCompletion(false, () -> t.finished(entryId))));
      return;
    }
    if (request.failure() != null) {
      answer(t, entry, codec, request, deadlineMillis, request.failure());
      return;
    }
    RpcException notAStream = StreamingCall.mismatch(method, request);
    if (notAStream != null) {
      answer(t, entry, codec, request, deadlineMillis, notAStream);
      return;
    }
    long remaining = deadlineMillis < 0 ? -1 : deadlineMillis - t.redisNowMillis();
    if (startedTooLate(t, entry, codec, request, method, deadlineMillis, remaining)) {
      return;
    }
    RpcException invalid = validator.validate(method, request.arguments());
    if (invalid != null) {
      answer(t, entry, codec, request, deadlineMillis, invalid);
      return;
    }
    String callKey = request.replyTo() + " " + request.id();
    if (cancelled.remove(callKey)) {
      refuse(
          t,
          entry,
          codec,
          request,
          deadlineMillis,
          StatusCode.CANCELLED,
          method.qualifiedName() + " was cancelled before it started");
      return;
    }
    String key = request.idempotencyKey();
    String badKey = key == null ? null : IdempotencyKeys.problem(key);
    if (key != null && entry.broadcast()) {
      // One record per key would let a single instance run it.
      badKey = "A broadcast call of " + method.qualifiedName() + " cannot carry an idempotency key";
    }
    if (badKey != null) {
      refuse(t, entry, codec, request, deadlineMillis, StatusCode.INVALID_ARGUMENT, badKey);
      return;
    }
    if (key != null) {
      idempotency
          .claim(t, request, key, entryId, deliveries, remaining)
          .whenCompleteAsync(
              (claim, error) -> {
                try {
                  once(
                      t, entry, codec, request, method, callKey, deadlineMillis, key, claim, error);
                } catch (RuntimeException | StackOverflowError e) {
                  log.error("Handling request {} of {} failed", entryId, model.name(), e);
                  t.finished(entryId);
                }
              },
              executor);
      return;
    }
    if (inline && method.blocking()) {
      executor.execute(
          () ->
              runSafely(
                  t, entry, codec, request, method, callKey, deadlineMillis, remaining, null));
    } else {
      run(t, entry, codec, request, method, callKey, deadlineMillis, remaining, null);
    }
  }

  /**
   * A call with idempotency key {@code key}, once its key was claimed: the first runs, recording
   * its reply; a later one gets the recorded reply, or {@code ABORTED} while the first runs.
   */
  private void once(
      ServerTransport t,
      RequestEntry entry,
      WireCodec codec,
      IncomingRequest request,
      MethodModel method,
      String callKey,
      long deadlineMillis,
      String key,
      IdempotencyGuard.@Nullable Claim claim,
      @Nullable Throwable error) {
    if (error != null || claim == null) {
      // Cannot tell whether it ran before: run nothing, tell the caller.
      refuse(
          t,
          entry,
          codec,
          request,
          deadlineMillis,
          StatusCode.UNAVAILABLE,
          "Cannot record the idempotency key of "
              + method.qualifiedName()
              + ": "
              + (error == null ? "no answer" : error.getMessage()));
      return;
    }
    if (claim.first()) {
      long remaining = deadlineMillis < 0 ? -1 : deadlineMillis - t.redisNowMillis();
      if (startedTooLate(t, entry, codec, request, method, deadlineMillis, remaining)) {
        t.recordIdempotencyKey(request.method(), key, null, 0);
        return;
      }
      ReplyWriter.Outcome recorder =
          idempotency.recorder(t, request.method(), key, codec.codec().name());
      run(t, entry, codec, request, method, callKey, deadlineMillis, remaining, recorder);
      return;
    }
    if (claim.running()) {
      refuse(
          t,
          entry,
          codec,
          request,
          deadlineMillis,
          StatusCode.ABORTED,
          method.qualifiedName()
              + " with idempotency key '"
              + key
              + "' is still running; its outcome is kept once it ends");
      return;
    }
    replay(t, entry, codec, request, method, deadlineMillis, claim);
  }

  /** Refuses {@code request} when its deadline passed before it started; says whether it did. */
  private boolean startedTooLate(
      ServerTransport t,
      RequestEntry entry,
      WireCodec codec,
      IncomingRequest request,
      MethodModel method,
      long deadlineMillis,
      long remaining) {
    if (deadlineMillis < 0 || remaining > 0) {
      return false;
    }
    refuse(
        t,
        entry,
        codec,
        request,
        deadlineMillis,
        StatusCode.DEADLINE_EXCEEDED,
        "The deadline of " + method.qualifiedName() + " passed before it started");
    return true;
  }

  /** Answers {@code request} with the reply recorded for its idempotency key. */
  private void replay(
      ServerTransport t,
      RequestEntry entry,
      WireCodec codec,
      IncomingRequest request,
      MethodModel method,
      long deadlineMillis,
      IdempotencyGuard.Claim claim) {
    WireCodec recordedIn = wires.get(claim.codec());
    MethodCodec recordedMethod =
        recordedIn == null ? null : codecs.get(claim.codec()).get(request.method());
    IncomingReply recorded = null;
    if (recordedIn != null && recordedMethod != null && claim.reply() != null) {
      try {
        recorded = recordedIn.decodeReply(claim.reply(), id -> recordedMethod);
      } catch (MalformedMessageException | RuntimeException e) {
        log.warn(
            "Cannot read the recorded reply of {}: {}", method.qualifiedName(), e.getMessage());
      }
    }
    if (recorded == null) {
      refuse(
          t,
          entry,
          codec,
          request,
          deadlineMillis,
          StatusCode.INTERNAL,
          "Cannot read the reply recorded for the idempotency key of "
              + method.qualifiedName()
              + " in codec '"
              + claim.codec()
              + "'");
      return;
    }
    String entryId = entry.id();
    ErrorBody failure = recorded.error();
    send(
        t,
        entryId,
        codec,
        request,
        deadlineMillis,
        failure == null ? recorded.result() : null,
        failure == null ? null : new ReplayedError(failure),
        true,
        new CallCompletion(false, () -> t.finished(entryId)));
  }

  private void runSafely(
      ServerTransport t,
      RequestEntry entry,
      WireCodec codec,
      IncomingRequest request,
      MethodModel method,
      String callKey,
      long deadlineMillis,
      long remaining,
      ReplyWriter.@Nullable Outcome outcome) {
    try {
      run(t, entry, codec, request, method, callKey, deadlineMillis, remaining, outcome);
    } catch (RuntimeException | StackOverflowError e) {
      log.error("Handling request {} of {} failed", entry.id(), model.name(), e);
      t.finished(entry.id());
    }
  }

  /**
   * Runs the handler. Its answer is whichever comes first: its own outcome, or {@code
   * DEADLINE_EXCEEDED} when the deadline passes while it runs (it is then interrupted, or its
   * future cancelled). The slot is freed once the reply is out and the handler has returned.
   */
  private void run(
      ServerTransport t,
      RequestEntry entry,
      WireCodec codec,
      IncomingRequest request,
      MethodModel method,
      String callKey,
      long deadlineMillis,
      long remainingMillis,
      ReplyWriter.@Nullable Outcome outcome) {
    if (method.streaming()) {
      stream(t, entry, codec, request, method, callKey, deadlineMillis, remainingMillis);
      return;
    }
    String entryId = entry.id();
    RpcCall call = callOf(request, remainingMillis);
    HandlerInvoker handler = handlers.get(request.method());
    EventListener listener = listeners == null ? EventListener.NONE : listeners.create(call);
    Runnable published = null;
    Function<RpcCall, CompletionStage<@Nullable Object>> terminal = handler::invoke;
    if (listener != EventListener.NONE) {
      listener.requestTaken(call, entry.takenAtNanos());
      published = () -> listener.replyPublished(call, System.nanoTime());
      terminal = c -> observed(handler, c, listener);
    }
    Runnable onPublished = published;
    // A non-blocking handler run inline is on a Redis I/O thread, which is never interrupted.
    RunningCall runningCall =
        new RunningCall(inline && !method.blocking() ? null : Thread.currentThread());
    CallCompletion completion = new CallCompletion(true, () -> t.finished(entryId));
    running.put(callKey, runningCall);
    Timeout deadlineTimer = null;
    if (remainingMillis >= 0) {
      deadlineTimer =
          Timers.schedule(
              expired -> {
                if (completion.claimAnswer()) {
                  runningCall.cancel();
                  send(
                      t,
                      entryId,
                      codec,
                      request,
                      deadlineMillis,
                      null,
                      new RpcException(
                          StatusCode.DEADLINE_EXCEEDED,
                          "The deadline of "
                              + method.qualifiedName()
                              + " passed while it ran; the server interrupted it"),
                      true,
                      completion,
                      outcome,
                      onPublished);
                }
              },
              remainingMillis,
              TimeUnit.MILLISECONDS);
    }
    if (cancelled.remove(callKey)) {
      // The cancellation arrived between the check before and now.
      runningCall.cancel();
    }
    CompletionStage<@Nullable Object> result;
    try {
      result = InterceptorChain.run(interceptors, call, terminal);
    } catch (RuntimeException | Error e) {
      result = CompletableFuture.failedFuture(e);
    } finally {
      runningCall.leftHandlerThread();
    }
    runningCall.running(result.toCompletableFuture());
    Timeout timer = deadlineTimer;
    result.whenComplete(
        (value, error) -> {
          running.remove(callKey, runningCall);
          if (timer != null) {
            timer.cancel();
          }
          if (completion.claimAnswer()) {
            send(
                t,
                entryId,
                codec,
                request,
                deadlineMillis,
                value,
                error,
                true,
                completion,
                outcome,
                onPublished);
          }
          completion.handlerReturned();
        });
  }

  /** The call the handler sees, with the time left of its deadline (none when negative). */
  private RpcCall callOf(IncomingRequest request, long remainingMillis) {
    return RpcCall.create(
            model.name(),
            request.method(),
            Arrays.asList(request.arguments()),
            request.headers(),
            remainingMillis < 0
                ? Deadline.after(Duration.ofDays(365))
                : Deadline.after(Duration.ofMillis(remainingMillis)))
        .withIdempotencyKey(request.idempotencyKey());
  }

  /**
   * Runs a streaming handler and streams what it returns ({@link StreamingCall}), until the stream
   * ends, its caller cancels it or its deadline passes. Never retried: the entry is held until the
   * end, and a server that takes it over answers {@code UNAVAILABLE} (section 10).
   */
  private void stream(
      ServerTransport t,
      RequestEntry entry,
      WireCodec codec,
      IncomingRequest request,
      MethodModel method,
      String callKey,
      long deadlineMillis,
      long remainingMillis) {
    RpcCall call = callOf(request, remainingMillis);
    HandlerInvoker handler = handlers.get(request.method());
    StreamingCall stream =
        new StreamingCall(
            t,
            executor,
            entry.id(),
            codec,
            request,
            java.util.Objects.requireNonNull(request.codec(), "a method's request has its codec"),
            deadlineMillis,
            request.credits(),
            stats,
            () -> streams.remove(callKey));
    streams.put(callKey, stream);
    stream.open(remainingMillis);
    // Grants and a cancellation that came before the stream was known here.
    stream.grant(earlyCredits.remove(callKey));
    if (cancelled.remove(callKey)) {
      stream.cancelByCaller();
      return;
    }
    CompletionStage<@Nullable Object> result;
    try {
      result = InterceptorChain.run(interceptors, call, handler::invoke);
    } catch (RuntimeException | Error e) {
      result = CompletableFuture.failedFuture(e);
    }
    stream.start(result);
  }

  /** Answers {@code request} with status {@code code} without running it; then acknowledges. */
  private void refuse(
      ServerTransport t,
      RequestEntry entry,
      WireCodec codec,
      IncomingRequest request,
      long deadlineMillis,
      StatusCode code,
      String message) {
    answer(t, entry, codec, request, deadlineMillis, new RpcException(code, message));
  }

  /** Answers {@code request} with {@code error} without running it; then acknowledges. */
  private void answer(
      ServerTransport t,
      RequestEntry entry,
      WireCodec codec,
      IncomingRequest request,
      long deadlineMillis,
      Throwable error) {
    String entryId = entry.id();
    send(
        t,
        entryId,
        codec,
        request,
        deadlineMillis,
        null,
        error,
        true,
        new CallCompletion(false, () -> t.finished(entryId)));
  }

  private void send(
      ServerTransport t,
      String entryId,
      WireCodec codec,
      IncomingRequest request,
      long deadlineMillis,
      @Nullable Object value,
      @Nullable Throwable error,
      boolean acknowledge,
      CallCompletion completion) {
    send(
        t,
        entryId,
        codec,
        request,
        deadlineMillis,
        value,
        error,
        acknowledge,
        completion,
        null,
        null);
  }

  /** Runs the handler, telling {@code listener} when it starts and ends. */
  private static CompletionStage<@Nullable Object> observed(
      HandlerInvoker handler, RpcCall call, EventListener listener) {
    listener.handlerStart(call, System.nanoTime());
    CompletionStage<@Nullable Object> stage = handler.invoke(call);
    // The handler's own stage goes on, so that cancelling the call still cancels it.
    stage.whenComplete(
        (value, error) ->
            listener.handlerEnd(
                call, error == null ? null : Errors.unwrap(error), System.nanoTime()));
    return stage;
  }

  private void send(
      ServerTransport t,
      String entryId,
      WireCodec codec,
      IncomingRequest request,
      long deadlineMillis,
      @Nullable Object value,
      @Nullable Throwable error,
      boolean acknowledge,
      CallCompletion completion,
      ReplyWriter.@Nullable Outcome outcome,
      @Nullable Runnable published) {
    CompletableFuture<Void> sent;
    try {
      sent =
          replies.send(
              t,
              entryId,
              codec,
              request.id(),
              request.replyTo(),
              request.method(),
              request.codec(),
              deadlineMillis,
              value,
              error,
              acknowledge,
              request.version() >= WireCodec.BATCHED_REPLIES_VERSION,
              request.oneWay(),
              outcome,
              published);
    } catch (RuntimeException e) {
      log.error("Replying to request {} of {} failed", entryId, model.name(), e);
      sent = CompletableFuture.completedFuture(null);
    }
    sent.whenComplete((ok, e) -> completion.replied());
  }

  /**
   * An entry over the size limit is not decoded, but when its reply address can be read the caller
   * learns why instead of waiting for its deadline.
   */
  private void refuseOversize(
      ServerTransport t, RequestEntry entry, WireCodec codec, byte[] payload) {
    String why =
        "Request of "
            + payload.length
            + " bytes is over the limit of "
            + maxMessageBytes
            + " of this server of "
            + model.name();
    WireCodec.ReplyAddress address = codec.decodeAddress(payload);
    if (address == null || !entry.keys().isReplyChannel(address.replyTo())) {
      reject(t, entry.id(), "its payload of " + payload.length + " bytes is over the limit");
      return;
    }
    rejected.incrementAndGet();
    log.debug("Refused request {} of {}: {}", entry.id(), model.name(), why);
    IncomingRequest request =
        new IncomingRequest(
            address.id(),
            address.replyTo(),
            "",
            0,
            1,
            -1,
            io.redisrpc.Metadata.empty(),
            null,
            false,
            null,
            null,
            null,
            0);
    long deadline = startMillis(entry, t.redisNowMillis()) + ReplayGuard.WINDOW_MILLIS;
    answer(
        t, entry, codec, request, deadline, new RpcException(StatusCode.RESOURCE_EXHAUSTED, why));
  }

  @Override
  public void onShutdown() {
    for (StreamingCall stream : streams.values()) {
      stream.close();
    }
  }

  @Override
  public void onCredit(String replyTo, String id, long total) {
    String callKey = replyTo + " " + id;
    StreamingCall stream = streams.get(callKey);
    if (stream == null) {
      // Not started here (yet): whichever server runs it finds the grant.
      earlyCredits.add(callKey, total);
      stream = streams.get(callKey);
      if (stream == null) {
        return;
      }
    }
    stream.grant(total);
  }

  @Override
  public void onCancel(String replyTo, String id) {
    String callKey = replyTo + " " + id;
    StreamingCall stream = streams.get(callKey);
    if (stream != null) {
      stream.cancelByCaller();
      return;
    }
    RunningCall call = running.get(callKey);
    if (call != null) {
      call.cancel();
    } else {
      // Not started here (yet): whichever server reads it skips it.
      cancelled.add(callKey);
    }
  }

  /**
   * The call's deadline on Redis' clock, or -1 for none: its start plus its timeout. The start is
   * the time ENQUEUE recorded ({@code t}), else the entry id's; never later than now, so that no
   * entry, whatever id it was written with, grants itself or its successors more time than they
   * asked for.
   */
  private static long deadlineMillis(RequestEntry entry, IncomingRequest request, long now) {
    if (request.timeoutMillis() <= 0) {
      return -1;
    }
    long start = startMillis(entry, now);
    long deadline = start + request.timeoutMillis();
    return deadline < start ? Long.MAX_VALUE : deadline;
  }

  private static long startMillis(RequestEntry entry, long now) {
    long start = entry.enqueuedAt() >= 0 ? entry.enqueuedAt() : entry.idMillis();
    return start < 0 || start > now ? now : start;
  }

  private String qualified(IncomingRequest request) {
    return model.name() + "." + request.method();
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
