package io.redisrpc.internal.proxy;

import io.redisrpc.CallAdapter;
import io.redisrpc.CallContext;
import io.redisrpc.CallOptions;
import io.redisrpc.Codec;
import io.redisrpc.Deadline;
import io.redisrpc.DeadlineExceededException;
import io.redisrpc.EventListener;
import io.redisrpc.Interceptor;
import io.redisrpc.RemoteCall;
import io.redisrpc.RpcCall;
import io.redisrpc.RpcException;
import io.redisrpc.StatusCode;
import io.redisrpc.internal.InterceptorChain;
import io.redisrpc.internal.adapter.StreamAdapter;
import io.redisrpc.internal.dispatch.Errors;
import io.redisrpc.internal.transport.BroadcastCall;
import io.redisrpc.internal.transport.ClientChannel;
import io.redisrpc.internal.transport.StreamHandle;
import io.redisrpc.internal.transport.StreamReceiver;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The client side of a call, from the proxy method to the transport: builds the call with its
 * deadline, runs the interceptors, sends, and adapts the future to the method's return type.
 */
public final class ClientProxy implements InvocationHandler {
  /** How long a blocked caller waits past the deadline for the timeout to be delivered. */
  private static final long GRACE_MILLIS = 5_000;

  private final ServiceModel model;
  private final ClientChannel transport;
  private final List<Interceptor> interceptors;
  private final Duration defaultTimeout;
  private final Executor callbacks;
  private final CallOptions options;
  private final @Nullable String codec;
  private final EventListener.@Nullable Factory listeners;

  /** A proxy handler for {@code model}'s endpoints over {@code transport}. */
  public ClientProxy(
      ServiceModel model,
      ClientChannel transport,
      List<Interceptor> interceptors,
      Duration defaultTimeout,
      Executor callbacks,
      EventListener.@Nullable Factory listeners) {
    this(
        model,
        transport,
        List.copyOf(interceptors),
        defaultTimeout,
        callbacks,
        CallOptions.DEFAULT,
        listeners);
  }

  private ClientProxy(
      ServiceModel model,
      ClientChannel transport,
      List<Interceptor> interceptors,
      Duration defaultTimeout,
      Executor callbacks,
      CallOptions options,
      EventListener.@Nullable Factory listeners) {
    this.model = model;
    this.transport = transport;
    this.interceptors = interceptors;
    this.defaultTimeout = defaultTimeout;
    this.callbacks = callbacks;
    this.options = options;
    this.codec = options.codec().map(Codec::name).orElse(null);
    this.listeners = listeners;
  }

  /**
   * A handler like this one whose calls have {@code options}; the caller checked that the transport
   * knows their codec.
   */
  public ClientProxy withOptions(CallOptions options) {
    return new ClientProxy(
        model, transport, interceptors, defaultTimeout, callbacks, options, listeners);
  }

  /** A new proxy implementing the service interface. */
  public Object newProxy() {
    Class<?> type = model.type();
    return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, this);
  }

  @Override
  public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args)
      throws Throwable {
    MethodModel endpoint = model.endpoint(method);
    if (endpoint == null) {
      return invokeLocal(proxy, method, args);
    }
    @SuppressWarnings("unchecked")
    CallAdapter<Object> adapter = (CallAdapter<Object>) endpoint.adapter();
    ProxyCall call =
        new ProxyCall(
            endpoint,
            args == null ? List.of() : Arrays.asList(args),
            CallContext.current().deadline().orElse(null));
    if (adapter instanceof StreamAdapter) {
      // Cold: each subscription opens the stream anew.
      return ((StreamAdapter) adapter)
          .adaptStream(
              subscriber ->
                  subscriber.onSubscribe(
                      new StreamSubscription(
                          Objects.requireNonNull(subscriber, "subscriber == null"),
                          callbacks,
                          call::openStream)));
    }
    return adapter.adapt(call);
  }

  /**
   * One invocation of a proxy method: the arguments, and the deadline of the call being handled on
   * the invoking thread, if any. Each start is a call of its own.
   */
  private final class ProxyCall implements RemoteCall<Object> {
    private final MethodModel endpoint;
    private final List<@Nullable Object> arguments;
    private final @Nullable Deadline inherited;

    ProxyCall(
        MethodModel endpoint, List<@Nullable Object> arguments, @Nullable Deadline inherited) {
      this.endpoint = endpoint;
      this.arguments = arguments;
      this.inherited = inherited;
    }

    @Override
    public String endpoint() {
      return endpoint.qualifiedName();
    }

    @Override
    public @Nullable Object execute() throws Exception {
      AtomicReference<Deadline> sent = new AtomicReference<>();
      CompletableFuture<@Nullable Object> result = begin(sent);
      try {
        return await(result, sent.get(), endpoint);
      } catch (Exception | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new java.lang.reflect.UndeclaredThrowableException(t);
      }
    }

    @Override
    public CompletableFuture<@Nullable Object> start() {
      return completeOffIoThreads(begin(new AtomicReference<>()));
    }

    /**
     * The options' deadline, or the earlier of it and their timeout from now, else the endpoint's
     * timeout or the client's from now.
     */
    private Deadline deadline() {
      Deadline fixed = options.deadline().orElse(null);
      Duration timeout = options.timeout().orElse(null);
      if (fixed != null) {
        return timeout == null ? fixed : fixed.min(Deadline.after(timeout));
      }
      return Deadline.after(timeout != null ? timeout : endpoint.timeout().orElse(defaultTimeout));
    }

    /** The call with its deadline, headers and idempotency key, before the interceptors. */
    private RpcCall newCall() {
      Deadline deadline = deadline();
      if (inherited != null) {
        deadline = deadline.min(inherited);
      }
      RpcCall call =
          RpcCall.create(model.name(), endpoint.name(), arguments, options.headers(), deadline);
      String key = options.idempotencyKey().orElse(null);
      return key == null ? call : call.withIdempotencyKey(key);
    }

    /**
     * Runs the interceptors and broadcasts the call; waits for every instance's answer, or the
     * deadline.
     */
    Map<String, BroadcastCall.Answer> broadcast() throws Throwable {
      RpcCall call = newCall();
      AtomicReference<Deadline> sent = new AtomicReference<>(call.deadline());
      CompletableFuture<@Nullable Object> result =
          intercepted(
              call,
              sent,
              c -> transport.broadcast(endpoint, c, codec).thenApply(answers -> answers));
      @SuppressWarnings("unchecked")
      Map<String, BroadcastCall.Answer> answers =
          (Map<String, BroadcastCall.Answer>) await(result, sent.get(), endpoint);
      return answers;
    }

    /**
     * Opens the stream, granting {@code credits} items at first, through the interceptors, which
     * see a call that completes when the stream ends.
     */
    StreamHandle openStream(long credits, StreamReceiver receiver) {
      AtomicReference<@Nullable StreamHandle> opened = new AtomicReference<>();
      CompletableFuture<@Nullable Object> done;
      try {
        done =
            InterceptorChain.run(
                    interceptors,
                    newCall(),
                    c -> {
                      StreamHandle h = transport.openStream(endpoint, c, codec, credits, receiver);
                      opened.set(h);
                      return h.done();
                    })
                .toCompletableFuture();
      } catch (RuntimeException e) {
        return StreamHandle.ended(CompletableFuture.failedFuture(e));
      }
      StreamHandle stream = opened.get();
      if (stream == null || stream.done() == done) {
        return stream == null ? StreamHandle.ended(done) : stream;
      }
      // The interceptors wrapped the stream's end: it ends as they say, and cancelling it cancels
      // the stream.
      done.whenComplete(
          (value, error) -> {
            if (done.isCancelled()) {
              stream.done().cancel(true);
            }
          });
      return new StreamHandle() {
        @Override
        public void grant(long total) {
          stream.grant(total);
        }

        @Override
        public CompletableFuture<@Nullable Object> done() {
          return done;
        }
      };
    }

    /** Builds the call with its deadline, runs the interceptors and sends it. */
    private CompletableFuture<@Nullable Object> begin(AtomicReference<Deadline> sent) {
      RpcCall call = newCall();
      // Interceptors may give the call another deadline: the one it is sent with is the one to
      // wait for.
      sent.set(call.deadline());
      if (listeners == null) {
        return ClientProxy.this.start(endpoint, call, sent, EventListener.NONE);
      }
      RpcCall started = call;
      EventListener listener = listeners.create(started);
      listener.callStart(started, System.nanoTime());
      CompletableFuture<@Nullable Object> result =
          ClientProxy.this.start(endpoint, call, sent, listener);
      result.whenComplete(
          (value, error) -> {
            if (error == null) {
              listener.callEnd(started, System.nanoTime());
            } else {
              listener.callFailed(started, Errors.unwrap(error), System.nanoTime());
            }
          });
      return result;
    }
  }

  /**
   * Broadcasts the one endpoint call {@code code} makes on the proxy it is given to every live
   * instance of the service, with this handler's options; blocks until every instance answered or
   * the deadline passed, and returns the answers by instance id.
   *
   * @throws IllegalArgumentException when the code calls no endpoint or several, or the endpoint is
   *     one-way or returns a future
   */
  public Map<String, BroadcastCall.Answer> broadcast(Consumer<Object> code) {
    EndpointCapture captured = EndpointCapture.of(model, code);
    MethodModel endpoint = captured.endpoint();
    if (endpoint.oneWay()) {
      throw new IllegalArgumentException(
          "One-way endpoint "
              + endpoint.qualifiedName()
              + " cannot be broadcast: it has no answers");
    }
    if (!endpoint.blocking()) {
      throw new IllegalArgumentException(
          "Endpoint "
              + endpoint.qualifiedName()
              + " returns "
              + endpoint.method().getGenericReturnType().getTypeName()
              + ": only endpoints returning their result directly (or void) can be broadcast");
    }
    ProxyCall call =
        new ProxyCall(
            endpoint, captured.arguments(), CallContext.current().deadline().orElse(null));
    try {
      return call.broadcast();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      // Only the blocking wait's own failures: RpcExceptions are runtime exceptions.
      throw new java.lang.reflect.UndeclaredThrowableException(t);
    }
  }

  private CompletableFuture<@Nullable Object> start(
      MethodModel endpoint, RpcCall call, AtomicReference<Deadline> sent, EventListener listener) {
    return intercepted(call, sent, c -> transport.send(endpoint, c, codec, listener));
  }

  /**
   * Runs the interceptors around {@code send}, noting in {@code sent} the deadline the call leaves
   * with.
   */
  private CompletableFuture<@Nullable Object> intercepted(
      RpcCall call,
      AtomicReference<Deadline> sent,
      Function<RpcCall, CompletionStage<@Nullable Object>> send) {
    CompletionStage<@Nullable Object> stage;
    try {
      stage =
          InterceptorChain.run(
              interceptors,
              call,
              c -> {
                sent.set(c.deadline());
                return send.apply(c);
              });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return stage.toCompletableFuture();
  }

  private @Nullable Object await(
      CompletableFuture<@Nullable Object> result, Deadline deadline, MethodModel endpoint)
      throws Throwable {
    try {
      return result.get(deadline.remainingMillis() + GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw Errors.unwrap(e);
    } catch (InterruptedException e) {
      result.cancel(true);
      Thread.currentThread().interrupt();
      throw new RpcException(
          StatusCode.CANCELLED, endpoint.qualifiedName() + " was interrupted while waiting", e);
    } catch (TimeoutException e) {
      result.cancel(true);
      throw new DeadlineExceededException(endpoint.qualifiedName() + " timed out");
    }
  }

  /**
   * A future completed on the callback executor, so that callers' continuations never run on (and
   * block) Redis' I/O threads. Cancelling it cancels the call.
   */
  private CompletableFuture<@Nullable Object> completeOffIoThreads(
      CompletableFuture<@Nullable Object> result) {
    CompletableFuture<@Nullable Object> out = new CompletableFuture<>();
    result.whenCompleteAsync(
        (value, error) -> {
          if (error != null) {
            out.completeExceptionally(Errors.unwrap(error));
          } else {
            out.complete(value);
          }
        },
        callbacks);
    out.whenComplete(
        (value, error) -> {
          if (out.isCancelled()) {
            result.cancel(true);
          }
        });
    return out;
  }

  private @Nullable Object invokeLocal(
      Object proxy, Method method, @Nullable Object @Nullable [] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      switch (method.getName()) {
        case "equals":
          return args != null && args.length == 1 && proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "RpcClient proxy of " + model.name();
        default:
          break;
      }
    }
    if (method.isDefault()) {
      return InvocationHandler.invokeDefault(proxy, method, args);
    }
    throw new UnsupportedOperationException(
        model.type().getSimpleName()
            + "."
            + method.getName()
            + " is not an @Endpoint and cannot be called remotely");
  }
}
