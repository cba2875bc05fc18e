package io.redisrpc.internal.transport;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.redisrpc.Deadline;
import io.redisrpc.DeadlineExceededException;
import io.redisrpc.EventListener;
import io.redisrpc.NotConnectedException;
import io.redisrpc.RpcCall;
import io.redisrpc.RpcException;
import io.redisrpc.StatusCode;
import io.redisrpc.internal.codec.ClientCodecs;
import io.redisrpc.internal.codec.IncomingReply;
import io.redisrpc.internal.codec.MalformedMessageException;
import io.redisrpc.internal.codec.MethodCodec;
import io.redisrpc.internal.connection.RedisLink;
import io.redisrpc.internal.proxy.MethodModel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client end of the native protocol: appends requests to the service's stream and receives
 * replies on the pub/sub channel private to this client instance, or, for replies published while
 * its subscription was down, from where the servers parked them.
 */
public final class ClientTransport implements ClientChannel {
  private static final Logger log = LoggerFactory.getLogger(ClientTransport.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final RedisKeys keys;
  private final String clientId;
  private final ReplyRoutes routes;
  private final String callIdSuffix;
  private final ClientCodecs codecs;
  private final int maxMessageBytes;
  private final Function<ErrorReply, Throwable> errors;
  private final PendingCalls<MethodCodec> pending = new PendingCalls<>();
  private final Map<String, BroadcastCall> broadcasts = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong unknownReplies = new AtomicLong();
  private final AtomicLong malformedReplies = new AtomicLong();
  private final RequestSender sender;
  private final @Nullable MessageSigner signer;

  private volatile @Nullable RedisLink link;
  private volatile @Nullable RedisClusterAsyncCommands<String, byte[]> commands;
  private volatile boolean connected;
  private volatile long redisClockOffsetMillis;

  /** An error reply with the call it answers, for the caller to turn into an exception. */
  public record ErrorReply(MethodCodec method, io.redisrpc.internal.codec.ErrorBody body) {}

  /**
   * A transport for the service of {@code partitions} (one element for a service of one partition),
   * not yet connected.
   */
  public ClientTransport(
      List<RedisKeys> partitions,
      String clientId,
      ClientCodecs codecs,
      int maxMessageBytes,
      long maxStreamLength,
      @Nullable MessageSigner signer,
      Function<ErrorReply, Throwable> errors) {
    this.signer = signer;
    this.keys = partitions.get(0);
    this.clientId = clientId;
    this.routes =
        new ReplyRoutes(partitions, clientId, () -> commands, this::onReply, () -> !isIdle());
    // Call ids are unique across client instances, not only within one.
    this.callIdSuffix = "-" + Long.toString(new SecureRandom().nextLong() >>> 1, 36);
    this.codecs = codecs;
    this.maxMessageBytes = maxMessageBytes;
    this.errors = errors;
    this.sender =
        new RequestSender(
            partitions.size(),
            routes,
            () -> commands,
            Scripts.bytes(Long.toString(maxStreamLength)));
  }

  /**
   * Subscribes to the reply channels through {@code link}; returns once replies can arrive.
   *
   * @throws io.redisrpc.NotConnectedException when Redis cannot be reached
   */
  @Override
  public synchronized void connect(RedisLink link) {
    if (connected) {
      throw new IllegalStateException("already connected");
    }
    RedisClusterAsyncCommands<String, byte[]> cmd = link.commands();
    routes.subscribe(link, CONNECT_TIMEOUT);
    if (signer != null) {
      try {
        measureRedisClock(cmd);
      } catch (RuntimeException e) {
        routes.unsubscribe(link);
        throw e instanceof NotConnectedException
            ? (NotConnectedException) e
            : link.cannotConnect(e);
      }
    }
    this.link = link;
    this.commands = cmd;
    this.connected = true;
  }

  /** Signed requests carry the time they were sent on Redis' clock, which servers check. */
  private void measureRedisClock(RedisClusterAsyncCommands<String, byte[]> cmd) {
    long before = System.currentTimeMillis();
    List<byte[]> time;
    try {
      time = cmd.time().get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NotConnectedException("Interrupted while connecting", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new NotConnectedException("Cannot read Redis' clock: " + e.getMessage(), e);
    }
    long after = System.currentTimeMillis();
    long redisNow =
        Long.parseLong(new String(time.get(0), java.nio.charset.StandardCharsets.US_ASCII)) * 1000
            + Long.parseLong(new String(time.get(1), java.nio.charset.StandardCharsets.US_ASCII))
                / 1000;
    redisClockOffsetMillis = redisNow - (before + after) / 2;
  }

  private boolean isIdle() {
    return pending.isEmpty() && broadcasts.isEmpty();
  }

  /**
   * Sends {@code call} to a server of the service; the future completes with the decoded result or
   * fails with an {@link RpcException}, by the call's deadline at the latest. For a one-way
   * endpoint it completes with null once the request is in the stream.
   */
  @Override
  public CompletableFuture<@Nullable Object> send(
      MethodModel endpoint, RpcCall call, @Nullable String codec, EventListener listener) {
    return send(endpoint, call, codec, listener, 0, null, new AtomicReference<>());
  }

  /**
   * Opens a stream: a call whose request grants {@code credits} items and whose replies go to
   * {@code receiver} ({@link ClientStream}), until its end, error or deadline.
   */
  @Override
  public StreamHandle openStream(
      MethodModel endpoint,
      RpcCall call,
      @Nullable String codec,
      long credits,
      StreamReceiver receiver) {
    AtomicReference<ClientStream> opened = new AtomicReference<>();
    CompletableFuture<@Nullable Object> done =
        send(endpoint, call, codec, EventListener.NONE, credits, receiver, opened);
    ClientStream stream = opened.get();
    return stream != null ? stream : StreamHandle.ended(done);
  }

  private CompletableFuture<@Nullable Object> send(
      MethodModel endpoint,
      RpcCall call,
      @Nullable String codec,
      EventListener listener,
      long credits,
      @Nullable StreamReceiver receiver,
      AtomicReference<ClientStream> opened) {
    MethodCodec method;
    RedisLink l;
    String id;
    ReplyRoutes.Route route;
    byte[] payload;
    long timeoutMillis;
    try {
      method = methodCodec(endpoint, codec);
      l = connectedLink();
      timeoutMillis = remainingMillis(method, call.deadline());
      id = nextCallId();
      route = routes.next();
      payload =
          encode(
              method,
              call,
              id,
              route.replyChannel(),
              timeoutMillis,
              endpoint.oneWay(),
              credits,
              listener);
    } catch (NotSent e) {
      return CompletableFuture.failedFuture(e.getCause());
    }
    String replyChannel = route.replyChannel();
    PendingCalls<MethodCodec>.Pending waiting =
        pending.register(
            id, method, method.model().qualifiedName(), call.deadline(), timeoutMillis);
    if (listener != EventListener.NONE) {
      waiting.call = call;
      waiting.listener = listener;
    }
    ClientStream stream =
        receiver == null
            ? null
            : new ClientStream(
                waiting,
                receiver,
                reply -> errors.apply(new ErrorReply(method, reply.error())),
                total -> notice(l, ServiceNotices.CREDIT + total + " " + replyChannel + " " + id));
    waiting.stream = stream;
    opened.set(stream);
    waiting.future.whenComplete(
        (result, error) -> {
          if (waiting.future.isCancelled()
              || error instanceof DeadlineExceededException
              || (stream != null && !stream.endedByServer())) {
            // Nobody waits any more: let the server skip it, or interrupt it.
            notice(l, replyChannel + " " + id);
          }
        });
    byte[] codecName = method.wire().nameBytes();
    byte[] signature =
        signer == null
            ? new byte[0]
            : signer.signRequest(route.keys().requests(), codecName, payload);
    sender.send(
        new RequestSender.Outgoing(
            route, waiting, codecName, payload, signature, endpoint.oneWay()));
    return waiting.future;
  }

  /**
   * Sends {@code call} to every live server instance of the service at once; the future completes
   * with each one's answer by instance id, by the call's deadline (instances that did not answer
   * count as {@code DEADLINE_EXCEEDED}), or fails when the call reached no instance.
   */
  @Override
  public CompletableFuture<Map<String, BroadcastCall.Answer>> broadcast(
      MethodModel endpoint, RpcCall call, @Nullable String codec) {
    MethodCodec method;
    RedisLink l;
    String id;
    byte[] payload;
    long timeoutMillis;
    try {
      if (signer != null) {
        throw new NotSent(
            new RpcException(
                StatusCode.UNIMPLEMENTED,
                "Broadcast calls are not signed: "
                    + keys.service()
                    + " has a shared secret, so its servers take none"));
      }
      if (call.idempotencyKey().isPresent()) {
        throw new NotSent(
            new RpcException(
                StatusCode.INVALID_ARGUMENT,
                "A broadcast call of "
                    + endpoint.qualifiedName()
                    + " cannot carry an idempotency key: one instance alone would run it"));
      }
      method = methodCodec(endpoint, codec);
      l = connectedLink();
      timeoutMillis = remainingMillis(method, call.deadline());
      id = nextCallId();
      payload =
          encode(
              method,
              call,
              id,
              routes.first().replyChannel(),
              timeoutMillis,
              false,
              0,
              EventListener.NONE);
    } catch (NotSent e) {
      return CompletableFuture.failedFuture(e.getCause());
    }
    BroadcastCall waiting = new BroadcastCall(id, method);
    broadcasts.put(id, waiting);
    String name = method.model().qualifiedName();
    waiting.timer(
        io.redisrpc.internal.Timers.schedule(
            expired -> waiting.expire(name, timeoutMillis),
            Math.max(0, call.deadline().remaining().toNanos()),
            TimeUnit.NANOSECONDS));
    waiting.future().whenComplete((answers, error) -> broadcasts.remove(id, waiting));
    byte[] codecName = method.wire().nameBytes();
    byte[] message = new byte[codecName.length + 1 + payload.length];
    System.arraycopy(codecName, 0, message, 0, codecName.length);
    message[codecName.length] = ' ';
    System.arraycopy(payload, 0, message, codecName.length + 1, payload.length);
    Scripts.BROADCAST
        .<List<Object>>run(
            l.commands(),
            ScriptOutputType.MULTI,
            new String[] {keys.serviceInstances()},
            Scripts.bytes(keys.broadcasts()),
            message,
            Scripts.bytes(l.sharded() ? "1" : "0"))
        .whenComplete((instances, error) -> broadcastSent(waiting, instances, error));
    return waiting.future();
  }

  private void broadcastSent(
      BroadcastCall waiting, @Nullable List<Object> instances, @Nullable Throwable error) {
    String name = waiting.method().model().qualifiedName();
    if (error != null) {
      waiting.fail(
          SendFailure.of(error) == SendFailure.MAYBE_SENT
              ? new RpcException(
                  StatusCode.UNKNOWN,
                  "The connection failed while "
                      + name
                      + " was being broadcast: it may have reached instances",
                  error)
              : new NotConnectedException("Cannot broadcast " + name + ": " + error.getMessage()));
      return;
    }
    if (instances == null || instances.isEmpty()) {
      waiting.fail(
          new NotConnectedException(
              "No live server for service " + keys.service() + " (remote endpoint not connected)"));
      return;
    }
    List<String> ids = new java.util.ArrayList<>(instances.size());
    for (Object instance : instances) {
      ids.add(
          instance instanceof byte[]
              ? new String((byte[]) instance, java.nio.charset.StandardCharsets.UTF_8)
              : String.valueOf(instance));
    }
    waiting.reached(ids);
  }

  /** Why a call was not sent: its cause is what the caller is told. */
  private static final class NotSent extends Exception {
    private static final long serialVersionUID = 1L;

    NotSent(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  private MethodCodec methodCodec(MethodModel endpoint, @Nullable String codec) throws NotSent {
    MethodCodec method = codec == null ? codecs.of(endpoint) : codecs.of(endpoint, codec);
    if (method != null) {
      return method;
    }
    if (codec != null) {
      throw new NotSent(
          new RpcException(
              StatusCode.INVALID_ARGUMENT,
              "Codec '"
                  + codec
                  + "' does not encode the types of "
                  + endpoint.qualifiedName()
                  + "; it was asked for by the call's options"));
    }
    throw new IllegalArgumentException(endpoint + " is not an endpoint of " + keys.service());
  }

  private RedisLink connectedLink() throws NotSent {
    RedisLink l = link;
    if (!connected || commands == null || l == null) {
      throw new NotSent(
          new NotConnectedException(
              "Client of " + keys.service() + " is not connected: call connect(dsn) first"));
    }
    return l;
  }

  private static long remainingMillis(MethodCodec method, Deadline deadline) throws NotSent {
    long timeoutMillis = deadline.remainingMillis();
    if (timeoutMillis <= 0) {
      throw new NotSent(
          new DeadlineExceededException(
              method.model().qualifiedName() + " was not sent: its deadline had passed"));
    }
    return timeoutMillis;
  }

  private String nextCallId() {
    return Long.toString(sequence.incrementAndGet(), 36) + callIdSuffix;
  }

  /** The request of {@code call}, within the size limit. */
  private byte[] encode(
      MethodCodec method,
      RpcCall call,
      String id,
      String replyChannel,
      long timeoutMillis,
      boolean oneWay,
      long credits,
      EventListener listener)
      throws NotSent {
    byte[] payload;
    try {
      payload =
          method
              .wire()
              .encodeRequest(
                  id,
                  replyChannel,
                  method,
                  timeoutMillis,
                  signer == null ? -1 : System.currentTimeMillis() + redisClockOffsetMillis,
                  call.headers(),
                  call.idempotencyKey().orElse(null),
                  oneWay,
                  credits,
                  call.arguments().toArray());
    } catch (RuntimeException e) {
      throw new NotSent(e);
    }
    if (listener != EventListener.NONE) {
      listener.requestEncoded(call, payload.length, System.nanoTime());
    }
    if (payload.length > maxMessageBytes) {
      throw new NotSent(
          new RpcException(
              StatusCode.RESOURCE_EXHAUSTED,
              "Request of "
                  + method.model().qualifiedName()
                  + " is "
                  + payload.length
                  + " bytes, over the limit of "
                  + maxMessageBytes));
    }
    return payload;
  }

  /** Publishes {@code text} on the service's cancel channel, signed when messages are. */
  private void notice(RedisLink l, String text) {
    l.publish(
        keys.cancellations(),
        MessageSigner.frame(signer, keys.cancellations(), Scripts.bytes(text)));
  }

  private void onReply(String replyChannel, byte[] signedMessage) {
    byte[] message = MessageSigner.unframe(signer, replyChannel, signedMessage);
    if (message == null) {
      if (malformedReplies.incrementAndGet() == 1) {
        log.warn("Dropped an unsigned or wrongly signed reply on {}", replyChannel);
      }
      return;
    }
    if (ReplyBatch.isBatch(message)) {
      // Several replies that were ready at the same moment, in one message.
      if (!ReplyBatch.forEach(message, one -> onReply(replyChannel, one, true))) {
        if (malformedReplies.incrementAndGet() == 1) {
          log.warn("Dropped a malformed batch of replies on {}", replyChannel);
        }
      }
      return;
    }
    onReply(replyChannel, message, false);
  }

  private void onReply(String replyChannel, byte[] message, boolean inBatch) {
    if (inBatch && ReplyBatch.isBatch(message)) {
      // Batches do not nest: a forger's attempt at recursion.
      malformedReplies.incrementAndGet();
      return;
    }
    IncomingReply reply;
    try {
      reply =
          codecs.decodeReply(
              message,
              id -> {
                PendingCalls<MethodCodec>.Pending p = pending.get(id);
                if (p != null) {
                  return p.method;
                }
                BroadcastCall b = broadcastOf(id);
                return b == null ? null : b.method();
              });
    } catch (MalformedMessageException | RuntimeException e) {
      if (malformedReplies.incrementAndGet() == 1) {
        log.warn("Dropped a malformed reply on {}: {}", replyChannel, e.getMessage());
      }
      return;
    }
    PendingCalls<MethodCodec>.Pending p = pending.get(reply.id());
    BroadcastCall broadcast = p == null ? broadcastOf(reply.id()) : null;
    if (broadcast != null) {
      String instance = reply.id().substring(broadcast.id().length() + 1);
      broadcast.answered(
          instance,
          reply.error() != null
              ? new BroadcastCall.Answer(
                  null, errors.apply(new ErrorReply(broadcast.method(), reply.error())))
              : new BroadcastCall.Answer(reply.result(), null));
      return;
    }
    if (p == null) {
      // A call that timed out or was cancelled before its reply came, or a reply seen twice.
      if (unknownReplies.incrementAndGet() == 1) {
        log.debug("Dropped a reply for unknown call {} on {}", reply.id(), replyChannel);
      }
      return;
    }
    ClientStream stream = p.stream;
    if (stream != null) {
      stream.onMessage(reply);
      return;
    }
    RpcCall call = p.call;
    if (call != null) {
      p.listener.replyReceived(call, System.nanoTime());
    }
    if (reply.error() != null) {
      p.fail(errors.apply(new ErrorReply(p.method, reply.error())));
    } else {
      p.succeed(reply.result());
    }
  }

  /** The broadcast call that instance answer {@code id} ({@code <call id>@<instance>}) is for. */
  private @Nullable BroadcastCall broadcastOf(String id) {
    int at = id.indexOf('@');
    return at <= 0 ? null : broadcasts.get(id.substring(0, at));
  }

  /** The codecs of this client. */
  public ClientCodecs codecs() {
    return codecs;
  }

  /** This client instance's id. */
  @Override
  public String clientId() {
    return clientId;
  }

  /** How many calls wait for a reply. */
  @Override
  public int pendingCalls() {
    return pending.size();
  }

  @Override
  public long droppedReplies() {
    return unknownReplies.get() + malformedReplies.get();
  }

  /** Whether {@link #connect} succeeded and {@link #close} was not called. */
  @Override
  public boolean isConnected() {
    return connected;
  }

  /** Fails the waiting calls and closes the connections. */
  @Override
  public synchronized void close() {
    if (!connected) {
      return;
    }
    connected = false;
    RpcException closed =
        new RpcException(StatusCode.CANCELLED, "Client of " + keys.service() + " was closed");
    pending.failAll(closed);
    broadcasts.values().forEach(b -> b.fail(closed));
    RedisLink l = link;
    link = null;
    commands = null;
    if (l != null) {
      routes.unsubscribe(l);
    }
  }
}
