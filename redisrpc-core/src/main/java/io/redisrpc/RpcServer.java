package io.redisrpc;

import io.redisrpc.internal.ThreadPools;
import io.redisrpc.internal.adapter.CallAdapters;
import io.redisrpc.internal.aioredis.AioredisServerChannel;
import io.redisrpc.internal.codec.WireCodec;
import io.redisrpc.internal.dispatch.Dispatcher;
import io.redisrpc.internal.proxy.ParameterNames;
import io.redisrpc.internal.proxy.ServiceModel;
import io.redisrpc.internal.registry.RegistryJson;
import io.redisrpc.internal.registry.ServiceDescriptor;
import io.redisrpc.internal.stats.CallStats;
import io.redisrpc.internal.transport.InstanceRegistration;
import io.redisrpc.internal.transport.MessageSigner;
import io.redisrpc.internal.transport.ServerChannel;
import io.redisrpc.internal.transport.ServerTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * Serves an implementation of a service interface, the counterpart of aioredis-rpc's {@code
 * create_server}. Any number of server instances of one service share its calls; each call runs on
 * one of them.
 *
 * <pre>{@code
 * RpcServer server = RpcServer.create(Dropbox.class, new DropboxService(2));
 * server.connect("redis://localhost:6379"); // returns once serving, in the background
 * }</pre>
 */
public final class RpcServer implements AutoCloseable {
  /** How long servers remember a call with an idempotency key by default: an hour. */
  public static final Duration DEFAULT_IDEMPOTENCY_WINDOW = Duration.ofHours(1);

  /** The default limit of calls running at once. */
  public static final int DEFAULT_MAX_CONCURRENCY = 128;

  private final ServiceModel model;
  private final String instanceId;
  private final ServerChannel transport;
  private final Duration shutdownTimeout;
  private final ThreadPools.Owned executor;
  private final Protocol protocol;
  private final int maxConcurrency;
  private @Nullable CallStats callStats;
  private @Nullable RedisRpc ownedRoot;
  private volatile Instant startedAt = Instant.now();

  private RpcServer(Builder<?> builder) {
    this.model =
        ServiceModel.parse(builder.service, CallAdapters.of(List.copyOf(builder.callAdapters)));
    ParameterNames.warnIfUnnamed(model);
    if (!builder.protocol.isNative()) {
      model.refuseStreams("aioredis-rpc");
    }
    if (!builder.service.isInstance(builder.implementation)) {
      throw new IllegalArgumentException(
          builder.implementation.getClass().getName()
              + " does not implement "
              + builder.service.getName());
    }
    this.instanceId = UUID.randomUUID().toString().replace("-", "");
    this.shutdownTimeout = builder.shutdownTimeout;
    this.executor =
        builder.executor != null
            ? new ThreadPools.Owned(builder.executor, false)
            : ThreadPools.handlers("redisrpc-" + model.name(), builder.maxConcurrency);
    this.protocol = builder.protocol;
    this.maxConcurrency = builder.maxConcurrency;
    if (!protocol.isNative()) {
      this.transport =
          new AioredisServerChannel(
              model,
              builder.implementation,
              builder.interceptors,
              executor.executor(),
              builder.maxConcurrency,
              builder.maxMessageBytes,
              protocol);
      return;
    }
    Dispatcher dispatcher =
        new Dispatcher(
            model,
            builder.implementation,
            builder.interceptors,
            executor.executor(),
            builder.maxMessageBytes,
            builder.maxDeliveries,
            builder.signer(),
            // With an executor of the user's, every handler runs there, as documented.
            builder.executor == null,
            List.copyOf(builder.codecs.values()),
            builder.idempotencyWindow.toMillis(),
            builder.eventListeners);
    ServerTransport serverTransport =
        new ServerTransport(
            model.partitionKeys(),
            instanceId,
            builder.maxConcurrency,
            builder.heartbeatInterval,
            builder.visibilityTimeout,
            builder.signer(),
            dispatcher);
    dispatcher.attach(serverTransport);
    this.transport = serverTransport;
    this.callStats = dispatcher.stats();
    Duration heartbeat = builder.heartbeatInterval;
    serverTransport.register(
        new InstanceRegistration(
            ServiceDescriptor.json(
                model, builder.sharedSecret != null, List.copyOf(builder.codecs.keySet())),
            () -> RegistryJson.instanceFields(stats().toRecord(), heartbeat)));
  }

  /** A server of {@code implementation} as {@code service}, with default options. */
  public static <T> RpcServer create(Class<T> service, T implementation) {
    return builder(service, implementation).build();
  }

  /** A builder for a server of {@code implementation} as {@code service}. */
  public static <T> Builder<T> builder(Class<T> service, T implementation) {
    return new Builder<>(
        Objects.requireNonNull(service, "service == null"),
        Objects.requireNonNull(implementation, "implementation == null"));
  }

  /**
   * Connects to Redis at {@code dsn}, any URI of {@link RedisRpc}, over connections of its own,
   * announces this instance and starts serving in the background; returns once calls can arrive.
   * Applications with several clients or servers share one {@link RedisRpc} instead: {@link
   * #connect(RedisRpc)}.
   *
   * @throws NotConnectedException when Redis cannot be reached
   * @throws IllegalArgumentException when {@code dsn} is not a Redis URI
   * @throws IllegalStateException when the server was connected before: a server connects once, and
   *     after {@link #disconnect()} a new one is built
   */
  public RpcServer connect(String dsn) {
    Objects.requireNonNull(dsn, "dsn == null");
    this.ownedRoot = RedisRpc.privateRoot(dsn, this::connect);
    return this;
  }

  /**
   * Connects through {@code redis}, shared with other clients and servers, announces this instance
   * and starts serving in the background; returns once calls can arrive. {@link #disconnect()}
   * leaves {@code redis} open.
   *
   * @throws NotConnectedException when Redis cannot be reached
   * @throws IllegalStateException when the server was connected before
   */
  public RpcServer connect(RedisRpc redis) {
    Objects.requireNonNull(redis, "redis == null");
    startedAt = Instant.now();
    transport.connect(redis.link());
    return this;
  }

  /** The service name served. */
  public String serviceName() {
    return model.name();
  }

  /** The wire protocol this server speaks. */
  public Protocol protocol() {
    return protocol;
  }

  /** This server instance's id. */
  public String instanceId() {
    return instanceId;
  }

  /** Calls taken and not yet answered. */
  public int inFlight() {
    return transport.inFlight();
  }

  /**
   * A snapshot of this instance's statistics: per endpoint, calls answered, errors by status code,
   * calls in flight, latency percentiles and the last error, counted since the server was built.
   * Servers also write it into the registry with each heartbeat, where {@link ServiceStats} and
   * {@code redisrpc stats} read it. Endpoint statistics are kept for the native protocol only.
   */
  public ServerStats stats() {
    CallStats calls = callStats;
    List<EndpointStats> endpoints = new ArrayList<>();
    if (calls != null) {
      calls.snapshot().forEach(s -> endpoints.add(EndpointStats.of(s)));
    }
    return new ServerStats(
        model.name(),
        instanceId,
        startedAt,
        Instant.now(),
        inFlight(),
        maxConcurrency,
        rejectedMessages(),
        endpoints);
  }

  /** Messages refused: malformed, oversized, or asking for a reply outside the service. */
  public long rejectedMessages() {
    return transport.rejectedMessages();
  }

  /** Whether the server is serving. */
  public boolean isRunning() {
    return transport.isRunning();
  }

  /**
   * Stops taking calls and withdraws this instance at once, finishes the calls in flight (waiting
   * up to the shutdown timeout, and refreshing them meanwhile so that no other instance takes them
   * over), leaves the consumer group and closes its connections. Each step that needs Redis waits
   * for it briefly: with Redis down this returns promptly.
   */
  public void disconnect() {
    transport.shutdown(shutdownTimeout);
    if (executor.owned()) {
      executor.executor().shutdown();
    }
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
    return "RpcServer[" + model.name() + ", id=" + instanceId + "]";
  }

  /**
   * Options of a server. Misuse of the service interface fails in {@link #build()} with a message
   * naming the method.
   *
   * @param <T> the service interface
   */
  public static final class Builder<T> {
    private final Class<T> service;
    private final T implementation;
    private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
    private Duration heartbeatInterval = Duration.ofSeconds(1);
    private Duration shutdownTimeout = Duration.ofSeconds(30);
    private Duration visibilityTimeout = Duration.ofSeconds(5);
    private int maxDeliveries = 3;
    private Duration idempotencyWindow = DEFAULT_IDEMPOTENCY_WINDOW;
    private EventListener.@Nullable Factory eventListeners;
    private byte @Nullable [] sharedSecret;
    private int maxMessageBytes = RpcClient.DEFAULT_MAX_MESSAGE_BYTES;
    private final List<Interceptor> interceptors = new ArrayList<>();
    private final List<CallAdapter.Factory> callAdapters = new ArrayList<>();
    private final Map<String, Codec> codecs = new LinkedHashMap<>();
    private final Set<String> addedCodecs = new HashSet<>();
    private ExecutorService executor;
    private Protocol protocol = Protocol.NATIVE;

    private Builder(Class<T> service, T implementation) {
      this.service = service;
      this.implementation = implementation;
      codecs.put(Codec.JSON.name(), Codec.JSON);
      codecs.put(Codec.MSGPACK.name(), Codec.MSGPACK);
    }

    /**
     * Reads and answers requests in {@code codec} too, or instead of the built-in codec of the same
     * name: {@code addCodec(JsonCodec.create(mapper))} makes JSON requests use your mapper. The
     * server knows {@link Codec#JSON} and {@link Codec#MSGPACK} by default, and refuses requests in
     * other codecs unanswered. Each endpoint's reader and writer in each codec is made once, when
     * the server is built; a request in a codec that does not encode its endpoint's types is
     * answered {@link StatusCode#INVALID_ARGUMENT}.
     *
     * @throws IllegalArgumentException when its name is invalid, or another codec added has it
     */
    public Builder<T> addCodec(Codec codec) {
      Objects.requireNonNull(codec, "codec == null");
      WireCodec.of(codec); // fails fast on an invalid name
      if (!addedCodecs.add(codec.name())) {
        throw new IllegalArgumentException("Codec '" + codec.name() + "' was added twice");
      }
      codecs.put(codec.name(), codec);
      return this;
    }

    /** The most calls this instance runs at once; 128 by default. */
    public Builder<T> maxConcurrency(int maxConcurrency) {
      if (maxConcurrency < 1) {
        throw new IllegalArgumentException("maxConcurrency must be positive: " + maxConcurrency);
      }
      this.maxConcurrency = maxConcurrency;
      return this;
    }

    /**
     * How often this instance tells Redis it is alive; 1 s by default. An instance that misses
     * three heartbeats counts as gone.
     */
    public Builder<T> heartbeatInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval == null");
      if (interval.toMillis() < 10) {
        throw new IllegalArgumentException("heartbeatInterval must be at least 10 ms: " + interval);
      }
      this.heartbeatInterval = interval;
      return this;
    }

    /**
     * How long a request an instance took may stay unfinished before another instance takes it
     * over, assuming the first died; 5 s by default. Idempotent endpoints then run again;
     * at-most-once ones answer {@link StatusCode#UNAVAILABLE}. A live instance refreshes the
     * requests it runs every third of this time, so long handlers are not taken over; keep it well
     * below the callers' timeouts, so that a redelivered call still has time to run.
     */
    public Builder<T> visibilityTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout == null");
      if (timeout.toMillis() < 100) {
        throw new IllegalArgumentException("visibilityTimeout must be at least 100 ms: " + timeout);
      }
      this.visibilityTimeout = timeout;
      return this;
    }

    /**
     * How often an idempotent request may be delivered before it goes to the dead-letter stream
     * (and its caller gets {@link StatusCode#UNAVAILABLE}); 3 by default.
     */
    public Builder<T> maxDeliveries(int maxDeliveries) {
      if (maxDeliveries < 1) {
        throw new IllegalArgumentException("maxDeliveries must be positive: " + maxDeliveries);
      }
      this.maxDeliveries = maxDeliveries;
      return this;
    }

    /**
     * How long a call with an idempotency key ({@link CallOptions#withIdempotencyKey}) is
     * remembered in Redis once it ended: within it, calls of the same endpoint with the same key
     * get its reply without running the handler. An hour by default, at least a second. Each key
     * costs a Redis string holding the reply for this long.
     */
    public Builder<T> idempotencyWindow(Duration window) {
      Objects.requireNonNull(window, "window == null");
      if (window.toMillis() < 1000) {
        throw new IllegalArgumentException("idempotencyWindow must be at least 1 s: " + window);
      }
      this.idempotencyWindow = window;
      return this;
    }

    /**
     * Authenticates every message with HMAC-SHA256 under {@code secret} (at least 16 bytes), which
     * the clients must share: requests without a valid signature are refused unanswered and counted
     * in {@link RpcServer#rejectedMessages()}, and replies are signed. Off by default.
     */
    public Builder<T> sharedSecret(byte[] secret) {
      Objects.requireNonNull(secret, "secret == null");
      new MessageSigner(secret); // fails fast on a short secret
      this.sharedSecret = secret.clone();
      return this;
    }

    @Nullable MessageSigner signer() {
      return sharedSecret == null ? null : new MessageSigner(sharedSecret);
    }

    /** How long {@link RpcServer#disconnect()} waits for calls in flight; 30 s by default. */
    public Builder<T> shutdownTimeout(Duration timeout) {
      this.shutdownTimeout = Objects.requireNonNull(timeout, "timeout == null");
      return this;
    }

    /** The largest request this server accepts; 1 MiB by default. */
    public Builder<T> maxMessageBytes(int maxMessageBytes) {
      if (maxMessageBytes < 1024) {
        throw new IllegalArgumentException(
            "maxMessageBytes must be at least 1024: " + maxMessageBytes);
      }
      this.maxMessageBytes = maxMessageBytes;
      return this;
    }

    /**
     * Adds a factory of {@link CallAdapter}s for handler return types the built-in adapters do not
     * know (plain values, {@code CompletableFuture}, {@code CompletionStage}, Reactor's {@code
     * Mono}). Factories are asked in the order they were added, before the built-in ones, once per
     * endpoint when the server is built.
     */
    public Builder<T> addCallAdapterFactory(CallAdapter.Factory factory) {
      callAdapters.add(Objects.requireNonNull(factory, "factory == null"));
      return this;
    }

    /**
     * Tells {@code listener} the phases of every call whose handler runs, with their times; none by
     * default. Replaces an earlier listener or factory. Native protocol only.
     */
    public Builder<T> eventListener(EventListener listener) {
      this.eventListeners = EventListener.factory(listener);
      return this;
    }

    /**
     * Asks {@code factory} for a listener of each call whose handler runs, told its phases with
     * their times; none by default. Replaces an earlier listener or factory. Native protocol only.
     */
    public Builder<T> eventListenerFactory(EventListener.Factory factory) {
      this.eventListeners = Objects.requireNonNull(factory, "factory == null");
      return this;
    }

    /** Adds an interceptor; interceptors run in the order they were added, before the handler. */
    public Builder<T> addInterceptor(Interceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor == null"));
      return this;
    }

    /**
     * Where handlers run. By default, blocking endpoints run on virtual threads on Java 21+, else
     * on a pool of {@code maxConcurrency} threads, and endpoints returning {@code
     * CompletableFuture} or {@code CompletionStage} run, with the server's interceptors, on the
     * Redis I/O thread that read the request: they must not block (start blocking work on an
     * executor of your own). Given an executor here, every handler and interceptor runs on it. The
     * server does not shut down an executor given here.
     */
    public Builder<T> executor(ExecutorService executor) {
      this.executor = Objects.requireNonNull(executor, "executor == null");
      return this;
    }

    /**
     * The wire protocol; {@link Protocol#NATIVE} by default. With {@link Protocol#aioredisRpc()}
     * the server answers clients of the Python library aioredis-rpc (or redisrpc clients speaking
     * it): every server subscribed to the queue runs every request, at most once, without
     * deadlines; heartbeatInterval, visibilityTimeout and maxDeliveries do not apply.
     */
    public Builder<T> protocol(Protocol protocol) {
      this.protocol = Objects.requireNonNull(protocol, "protocol == null");
      return this;
    }

    /** The server, not yet connected. */
    public RpcServer build() {
      return new RpcServer(this);
    }
  }
}
