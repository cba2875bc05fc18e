package io.redisrpc;

import io.redisrpc.internal.ThreadPools;
import io.redisrpc.internal.adapter.CallAdapters;
import io.redisrpc.internal.aioredis.AioredisClientChannel;
import io.redisrpc.internal.codec.ClientCodecs;
import io.redisrpc.internal.codec.WireCodec;
import io.redisrpc.internal.dispatch.Errors;
import io.redisrpc.internal.proxy.ClientProxy;
import io.redisrpc.internal.proxy.MethodModel;
import io.redisrpc.internal.proxy.ServiceModel;
import io.redisrpc.internal.transport.BroadcastCall;
import io.redisrpc.internal.transport.ClientChannel;
import io.redisrpc.internal.transport.ClientTransport;
import io.redisrpc.internal.transport.MessageSigner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Calls a remote service through a proxy of its interface, the counterpart of aioredis-rpc's {@code
 * create_client}.
 *
 * <pre>{@code
 * try (RpcClient<Dropbox> client = RpcClient.create(Dropbox.class)) {
 *   client.connect("redis://localhost:6379");
 *   int size = client.proxy().uploadFile(new FileData("file1", bytes));
 * }
 * }</pre>
 *
 * <p>Each client instance has its own reply channel. Clients are thread-safe; one client serves any
 * number of concurrent calls.
 *
 * @param <T> the service interface
 */
public final class RpcClient<T> implements AutoCloseable {
  /** The default time a caller waits for a reply, as aioredis-rpc's {@code callback_timeout}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** The default limit of one encoded request, 1 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;

  private final ServiceModel model;
  private final ClientChannel transport;
  private final T proxy;
  private final ClientProxy handler;
  private final Codec codec;
  private final Duration timeout;
  private final Protocol protocol;
  private @Nullable RedisRpc ownedRoot;

  private RpcClient(Builder<T> builder) {
    this.model =
        ServiceModel.parse(builder.service, CallAdapters.of(List.copyOf(builder.callAdapters)));
    this.protocol = builder.protocol;
    // aioredis-rpc messages are always MessagePack.
    this.codec = protocol.isNative() ? builder.codec : Codec.MSGPACK;
    this.timeout = builder.timeout;
    if (protocol.isNative()) {
      String clientId = UUID.randomUUID().toString().replace("-", "");
      this.transport =
          new ClientTransport(
              model.partitionKeys(),
              clientId,
              ClientCodecs.create(model.endpoints(), builder.codecs, codec),
              builder.maxMessageBytes,
              builder.maxStreamLength,
              builder.sharedSecret == null ? null : new MessageSigner(builder.sharedSecret),
              reply -> Errors.toException(reply.body(), reply.method().model()));
    } else {
      refuseOneWay(model);
      model.refuseStreams("aioredis-rpc");
      this.transport =
          new AioredisClientChannel(
              model, protocol.queueName().orElseThrow(), builder.maxMessageBytes);
    }
    this.handler =
        new ClientProxy(
            model,
            transport,
            builder.interceptors,
            builder.timeout,
            builder.callbackExecutor,
            builder.eventListeners);
    this.proxy = builder.service.cast(handler.newProxy());
  }

  /** aioredis-rpc servers always reply: a one-way caller would leave every reply unread. */
  private static void refuseOneWay(ServiceModel model) {
    for (MethodModel method : model.endpoints()) {
      if (method.oneWay()) {
        throw new IllegalArgumentException(
            "One-way endpoint "
                + method.qualifiedName()
                + " cannot be called over aioredis-rpc, which has no one-way calls");
      }
    }
  }

  /** A client of {@code service} with default options. */
  public static <T> RpcClient<T> create(Class<T> service) {
    return builder(service).build();
  }

  /** A builder for a client of {@code service}. */
  public static <T> Builder<T> builder(Class<T> service) {
    return new Builder<>(Objects.requireNonNull(service, "service == null"));
  }

  /**
   * Connects to Redis at {@code dsn}, any URI of {@link RedisRpc}, over connections of its own, and
   * returns once replies can be received. Applications with several clients or servers share one
   * {@link RedisRpc} instead: {@link #connect(RedisRpc)}.
   *
   * @throws NotConnectedException when Redis cannot be reached
   * @throws IllegalArgumentException when {@code dsn} is not a Redis URI
   */
  public RpcClient<T> connect(String dsn) {
    Objects.requireNonNull(dsn, "dsn == null");
    this.ownedRoot = RedisRpc.privateRoot(dsn, this::connect);
    return this;
  }

  /**
   * Connects through {@code redis}, shared with other clients and servers, and returns once replies
   * can be received. {@link #disconnect()} leaves {@code redis} open.
   *
   * @throws NotConnectedException when Redis cannot be reached
   */
  public RpcClient<T> connect(RedisRpc redis) {
    Objects.requireNonNull(redis, "redis == null");
    transport.connect(redis.link());
    return this;
  }

  /** The proxy: calling its {@link Endpoint} methods calls the remote service. */
  public T proxy() {
    return proxy;
  }

  /**
   * This client with {@code options} for every call made through its {@link Scoped#proxy()}: their
   * deadline, headers, codec and idempotency key. Cheap (one proxy); this client's own proxy is
   * unchanged. Headers of the options come before the interceptors', which may still change the
   * call.
   *
   * <pre>{@code
   * Dropbox dropbox = client.withOptions(CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(2)))
   *     .proxy();
   * }</pre>
   *
   * @throws IllegalArgumentException when the options name a codec this client does not know, or
   *     this client speaks aioredis-rpc and the options name a codec or an idempotency key
   */
  public Scoped<T> withOptions(CallOptions options) {
    Objects.requireNonNull(options, "options == null");
    if (!protocol.isNative()) {
      if (options.codec().isPresent() || options.idempotencyKey().isPresent()) {
        throw new IllegalArgumentException(
            "aioredis-rpc calls carry neither a codec nor an idempotency key: " + options);
      }
    } else if (options.codec().isPresent()) {
      ClientCodecs codecs = ((ClientTransport) transport).codecs();
      String name = options.codec().get().name();
      if (!codecs.knows(name)) {
        throw new IllegalArgumentException(codecs.unknown(name));
      }
    }
    ClientProxy scoped = handler.withOptions(options);
    return new Scoped<>(model.type(), scoped, options);
  }

  /**
   * Calls, on every live server instance of the service at once, the endpoint that {@code call}
   * calls on the proxy it is given, and returns each instance's answer by instance id: for cache
   * invalidation, configuration reloads, gathering each instance's view. Blocks until every
   * instance answered or the call's deadline passed (an instance silent until then has a {@link
   * DeadlineExceededException}); instances that start later do not get the call.
   *
   * <pre>{@code
   * BroadcastResult<Integer> sizes = client.broadcast(cache -> cache.size());
   * }</pre>
   *
   * <p>{@code call} must call exactly one endpoint, which returns its result directly (not a
   * future) and is not one-way; it runs on a proxy that only records the call, so what it returns
   * is meaningless. Broadcast calls are at-most-once per instance and not signed: services with a
   * shared secret cannot take them. Not available with {@link Protocol#aioredisRpc()}.
   *
   * @throws NotConnectedException when no instance is live
   * @throws IllegalArgumentException when {@code call} calls no endpoint, or several, or one that
   *     cannot be broadcast
   */
  public <R> BroadcastResult<R> broadcast(Function<? super T, ? extends R> call) {
    Objects.requireNonNull(call, "call == null");
    return broadcast(handler, model.type(), call);
  }

  /**
   * {@link #broadcast(Function)} for {@code void} endpoints.
   *
   * <pre>{@code
   * BroadcastResult<Void> done = client.broadcastVoid(cache -> cache.invalidate("user:42"));
   * }</pre>
   */
  public BroadcastResult<Void> broadcastVoid(Consumer<? super T> call) {
    Objects.requireNonNull(call, "call == null");
    return broadcastVoid(handler, model.type(), call);
  }

  private static <T, R> BroadcastResult<R> broadcast(
      ClientProxy handler, Class<?> service, Function<? super T, ? extends R> call) {
    @SuppressWarnings("unchecked")
    Function<Object, ?> typed = proxy -> call.apply((T) service.cast(proxy));
    return result(handler.broadcast(typed::apply));
  }

  private static <T> BroadcastResult<Void> broadcastVoid(
      ClientProxy handler, Class<?> service, Consumer<? super T> call) {
    @SuppressWarnings("unchecked")
    Consumer<Object> typed = proxy -> call.accept((T) service.cast(proxy));
    return result(handler.broadcast(typed));
  }

  private static <R> BroadcastResult<R> result(Map<String, BroadcastCall.Answer> answers) {
    Map<String, BroadcastResult.Outcome<R>> outcomes = new LinkedHashMap<>();
    answers.forEach(
        (instance, answer) -> {
          @SuppressWarnings("unchecked")
          R value = (R) answer.result();
          outcomes.put(instance, new BroadcastResult.Outcome<>(value, answer.error()));
        });
    return new BroadcastResult<>(outcomes);
  }

  /**
   * A client's proxy bound to call options ({@link RpcClient#withOptions}): immutable, thread-safe,
   * valid as long as the client is connected.
   *
   * @param <T> the service interface
   */
  public static final class Scoped<T> {
    private final T proxy;
    private final CallOptions options;

    private final ClientProxy handler;
    private final Class<?> service;

    private Scoped(Class<?> service, ClientProxy handler, CallOptions options) {
      this.handler = handler;
      this.service = service;
      @SuppressWarnings("unchecked")
      T typed = (T) service.cast(handler.newProxy());
      this.proxy = typed;
      this.options = options;
    }

    /** {@link RpcClient#broadcast(Function)} with {@link #options()}. */
    public <R> BroadcastResult<R> broadcast(Function<? super T, ? extends R> call) {
      Objects.requireNonNull(call, "call == null");
      return RpcClient.broadcast(handler, service, call);
    }

    /** {@link RpcClient#broadcastVoid(Consumer)} with {@link #options()}. */
    public BroadcastResult<Void> broadcastVoid(Consumer<? super T> call) {
      Objects.requireNonNull(call, "call == null");
      return RpcClient.broadcastVoid(handler, service, call);
    }

    /** The proxy whose calls have {@link #options()}. */
    public T proxy() {
      return proxy;
    }

    /** The options of the calls. */
    public CallOptions options() {
      return options;
    }
  }

  /** The service name this client calls. */
  public String serviceName() {
    return model.name();
  }

  /** This client instance's id, which names its reply channel. */
  public String clientId() {
    return transport.clientId();
  }

  /** The codec requests are sent in. */
  public Codec codec() {
    return codec;
  }

  /** The default timeout of calls. */
  public Duration timeout() {
    return timeout;
  }

  /** The wire protocol this client speaks. */
  public Protocol protocol() {
    return protocol;
  }

  /** How many calls are waiting for their reply now. */
  public int pendingCalls() {
    return transport.pendingCalls();
  }

  /**
   * Replies this client dropped: malformed ones, and answers to calls that had already ended (timed
   * out or cancelled).
   */
  public long droppedReplies() {
    return transport.droppedReplies();
  }

  /** Whether the client is connected. */
  public boolean isConnected() {
    return transport.isConnected();
  }

  /**
   * Fails calls still waiting with {@link StatusCode#CANCELLED} and leaves the reply channel;
   * closes the connections when it connected with a URI of its own.
   */
  public void disconnect() {
    transport.close();
    RedisRpc root = ownedRoot;
    ownedRoot = null;
    if (root != null) {
      root.close();
    }
  }

  /** Same as {@link #disconnect()}. */
  @Override
  public void close() {
    disconnect();
  }

  @Override
  public String toString() {
    return "RpcClient[" + model.name() + ", " + codec + ", id=" + transport.clientId() + "]";
  }

  /**
   * Options of a client. Misuse of the service interface fails in {@link #build()} with a message
   * naming the method.
   *
   * @param <T> the service interface
   */
  public static final class Builder<T> {
    private final Class<T> service;
    private Codec codec = Codec.JSON;
    private Duration timeout = DEFAULT_TIMEOUT;
    private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private long maxStreamLength = 1_000_000;
    private final List<Interceptor> interceptors = new ArrayList<>();
    private final List<CallAdapter.Factory> callAdapters = new ArrayList<>();
    private final List<Codec> codecs = new ArrayList<>();
    private EventListener.@Nullable Factory eventListeners;
    private Executor callbackExecutor = ThreadPools.callbacks();
    private byte @Nullable [] sharedSecret;
    private Protocol protocol = Protocol.NATIVE;

    private Builder(Class<T> service) {
      this.service = service;
    }

    /**
     * The codec of requests whose endpoint no codec {@linkplain #addCodec added} encodes; {@link
     * Codec#JSON} by default. {@code codec(JsonCodec.create(mapper))} sends JSON written by your
     * mapper; the servers must read it alike ({@link RpcServer.Builder#addCodec}).
     */
    public Builder<T> codec(Codec codec) {
      Objects.requireNonNull(codec, "codec == null");
      WireCodec.of(codec); // fails fast on an invalid name
      this.codec = codec;
      return this;
    }

    /**
     * Sends the calls of the endpoints whose parameter and result types {@code codec} encodes in
     * it: codecs added are asked in the order they were added, once per endpoint when the client is
     * built, before the {@linkplain #codec default}; the others' calls keep the default. The
     * servers must know it ({@link RpcServer.Builder#addCodec}), as it travels by name.
     *
     * @throws IllegalArgumentException when its name is invalid
     */
    public Builder<T> addCodec(Codec codec) {
      Objects.requireNonNull(codec, "codec == null");
      WireCodec.of(codec); // fails fast on an invalid name
      codecs.add(codec);
      return this;
    }

    /** How long calls wait for a reply unless their endpoint says otherwise; 10 s by default. */
    public Builder<T> timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout == null");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** The largest encoded request this client sends; 1 MiB by default. */
    public Builder<T> maxMessageBytes(int maxMessageBytes) {
      if (maxMessageBytes < 1024) {
        throw new IllegalArgumentException(
            "maxMessageBytes must be at least 1024: " + maxMessageBytes);
      }
      this.maxMessageBytes = maxMessageBytes;
      return this;
    }

    /**
     * The approximate length past which the request stream drops its oldest entries; 1,000,000 by
     * default. Only reached when servers fall far behind.
     */
    public Builder<T> maxStreamLength(long maxStreamLength) {
      if (maxStreamLength < 1000) {
        throw new IllegalArgumentException(
            "maxStreamLength must be at least 1000: " + maxStreamLength);
      }
      this.maxStreamLength = maxStreamLength;
      return this;
    }

    /**
     * Signs every request with HMAC-SHA256 under {@code secret} (at least 16 bytes), shared with
     * the servers, and refuses replies not signed with it. Off by default.
     */
    public Builder<T> sharedSecret(byte[] secret) {
      Objects.requireNonNull(secret, "secret == null");
      new MessageSigner(secret); // fails fast on a short secret
      this.sharedSecret = secret.clone();
      return this;
    }

    /**
     * Adds a factory of {@link CallAdapter}s for return types the built-in adapters do not know
     * (plain values, {@code CompletableFuture}, {@code CompletionStage}, Reactor's {@code Mono}).
     * Factories are asked in the order they were added, before the built-in ones, once per endpoint
     * when the client is built.
     */
    public Builder<T> addCallAdapterFactory(CallAdapter.Factory factory) {
      callAdapters.add(Objects.requireNonNull(factory, "factory == null"));
      return this;
    }

    /**
     * Tells {@code listener} the phases of every call, with their times; none by default. Replaces
     * an earlier listener or factory.
     */
    public Builder<T> eventListener(EventListener listener) {
      this.eventListeners = EventListener.factory(listener);
      return this;
    }

    /**
     * Asks {@code factory} for a listener of each call, told its phases with their times; none by
     * default. Replaces an earlier listener or factory.
     */
    public Builder<T> eventListenerFactory(EventListener.Factory factory) {
      this.eventListeners = Objects.requireNonNull(factory, "factory == null");
      return this;
    }

    /** Adds an interceptor; interceptors run in the order they were added. */
    public Builder<T> addInterceptor(Interceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor == null"));
      return this;
    }

    /**
     * Where futures returned by asynchronous endpoints complete: virtual threads on Java 21+, a
     * cached daemon pool before. {@code Runnable::run} completes them on the Redis I/O thread that
     * read the reply, sparing a thread hand-off per call, for callers whose continuations never
     * block: one that blocks there (waiting for another call, say) stalls every reply of the
     * client.
     */
    public Builder<T> callbackExecutor(Executor executor) {
      this.callbackExecutor = Objects.requireNonNull(executor, "executor == null");
      return this;
    }

    /**
     * The wire protocol; {@link Protocol#NATIVE} by default. With {@link Protocol#aioredisRpc()}
     * the client calls servers of the Python library aioredis-rpc (or redisrpc servers speaking
     * it); then requests are always MessagePack, and the codec and maxStreamLength do not apply.
     */
    public Builder<T> protocol(Protocol protocol) {
      this.protocol = Objects.requireNonNull(protocol, "protocol == null");
      return this;
    }

    /** The client, not yet connected. */
    public RpcClient<T> build() {
      return new RpcClient<>(this);
    }
  }
}
