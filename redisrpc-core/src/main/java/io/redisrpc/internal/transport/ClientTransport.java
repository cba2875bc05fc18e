package io.redisrpc.internal.transport;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.redisrpc.Deadline;
import io.redisrpc.DeadlineExceededException;
import io.redisrpc.NotConnectedException;
import io.redisrpc.RpcCall;
import io.redisrpc.RpcException;
import io.redisrpc.StatusCode;
import io.redisrpc.internal.Timers;
import io.redisrpc.internal.codec.IncomingReply;
import io.redisrpc.internal.codec.MalformedMessageException;
import io.redisrpc.internal.codec.MethodCodec;
import io.redisrpc.internal.codec.WireCodec;
import io.redisrpc.internal.proxy.MethodModel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
  private static final long FULL_STREAM_RETRY_MILLIS = 100;

  private final RedisKeys keys;
  private final String clientId;
  private final String replyChannel;
  private final String callIdSuffix;
  private final WireCodec codec;
  private final int maxMessageBytes;
  private final Function<ErrorReply, Throwable> errors;
  private final Map<MethodModel, MethodCodec> methods = new HashMap<>();
  private final PendingCalls pending = new PendingCalls();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong unknownReplies = new AtomicLong();
  private final AtomicLong malformedReplies = new AtomicLong();
  private final String[] enqueueKeys;
  private final byte[] codecName;
  private final byte[] streamCap;
  private final @Nullable MessageSigner signer;
  private final ParkedReplies parked;

  private @Nullable RedisClient client;
  private volatile @Nullable StatefulRedisConnection<String, byte[]> commands;
  private @Nullable StatefulRedisPubSubConnection<String, byte[]> replies;
  private volatile boolean connected;
  private volatile long redisClockOffsetMillis;

  /** An error reply with the call it answers, for the caller to turn into an exception. */
  public record ErrorReply(MethodCodec method, io.redisrpc.internal.codec.ErrorBody body) {}

  /** A transport for {@code keys}' service, not yet connected. */
  public ClientTransport(
      RedisKeys keys,
      String clientId,
      Iterable<MethodModel> endpoints,
      WireCodec codec,
      int maxMessageBytes,
      long maxStreamLength,
      @Nullable MessageSigner signer,
      Function<ErrorReply, Throwable> errors) {
    this.signer = signer;
    this.keys = keys;
    this.clientId = clientId;
    this.replyChannel = keys.replyChannel(clientId);
    // Call ids are unique across client instances, not only within one.
    this.callIdSuffix = "-" + Long.toString(new SecureRandom().nextLong() >>> 1, 36);
    this.codec = codec;
    this.maxMessageBytes = maxMessageBytes;
    this.errors = errors;
    this.enqueueKeys = new String[] {keys.requests(), keys.instances()};
    this.codecName = Scripts.bytes(codec.codec().name());
    this.streamCap = Scripts.bytes(Long.toString(maxStreamLength));
    for (MethodModel endpoint : endpoints) {
      methods.put(endpoint, codec.methodCodec(endpoint));
    }
    this.parked =
        new ParkedReplies(
            keys.parkedReplies(replyChannel), () -> commands, this::onReply, () -> !isIdle());
  }

  /** Connects and subscribes to the reply channel; returns once replies can arrive. */
  @Override
  public synchronized void connect(RedisURI uri) {
    if (connected) {
      throw new IllegalStateException("already connected");
    }
    // Every call has its own deadline timer: a second timer per Redis command would only cost.
    ClientConnections opened =
        ClientConnections.open(
            uri, replyChannel, this::onReply, this::onSubscribed, CONNECT_TIMEOUT, null);
    if (signer != null) {
      try {
        measureRedisClock(opened.commands());
      } catch (RuntimeException e) {
        RedisConnector.shutdown(opened.client());
        throw RedisConnector.cannotConnect(uri, e);
      }
    }
    this.client = opened.client();
    this.replies = opened.replies();
    this.commands = opened.commands();
    this.connected = true;
  }

  /** Signed requests carry the time they were sent on Redis' clock, which servers check. */
  private void measureRedisClock(StatefulRedisConnection<String, byte[]> cmd) {
    long before = System.currentTimeMillis();
    List<byte[]> time;
    try {
      time = cmd.async().time().get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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

  /** Redis confirmed the subscription: replies published while it was down are parked there. */
  private void onSubscribed() {
    if (commands != null) {
      parked.take();
    }
  }

  private boolean isIdle() {
    return pending.isEmpty();
  }

  /**
   * Sends {@code call} to a server of the service; the future completes with the decoded result or
   * fails with an {@link RpcException}, by the call's deadline at the latest.
   */
  @Override
  public CompletableFuture<@Nullable Object> send(MethodModel endpoint, RpcCall call) {
    MethodCodec method = methods.get(endpoint);
    if (method == null) {
      throw new IllegalArgumentException(endpoint + " is not an endpoint of " + keys.service());
    }
    StatefulRedisConnection<String, byte[]> cmd = commands;
    if (!connected || cmd == null) {
      return CompletableFuture.failedFuture(
          new NotConnectedException(
              "Client of " + keys.service() + " is not connected: call connect(dsn) first"));
    }
    Deadline deadline = call.deadline();
    long timeoutMillis = deadline.remainingMillis();
    if (timeoutMillis <= 0) {
      return CompletableFuture.failedFuture(
          new DeadlineExceededException(
              method.model().qualifiedName() + " was not sent: its deadline had passed"));
    }
    String id = Long.toString(sequence.incrementAndGet(), 36) + callIdSuffix;
    byte[] payload;
    try {
      payload =
          codec.encodeRequest(
              id,
              replyChannel,
              method,
              timeoutMillis,
              signer == null ? -1 : System.currentTimeMillis() + redisClockOffsetMillis,
              call.headers(),
              call.arguments().toArray());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (payload.length > maxMessageBytes) {
      return CompletableFuture.failedFuture(
          new RpcException(
              StatusCode.RESOURCE_EXHAUSTED,
              "Request of "
                  + method.model().qualifiedName()
                  + " is "
                  + payload.length
                  + " bytes, over the limit of "
                  + maxMessageBytes));
    }
    PendingCalls.Pending waiting = pending.register(id, method, deadline, timeoutMillis);
    waiting.future.whenComplete(
        (result, error) -> {
          if (waiting.future.isCancelled() || error instanceof DeadlineExceededException) {
            // Nobody waits any more: let the server skip it, or interrupt it.
            byte[] notice = Scripts.bytes(replyChannel + " " + id);
            cmd.async()
                .publish(
                    keys.cancellations(),
                    MessageSigner.frame(signer, keys.cancellations(), notice));
          }
        });
    byte[] signature =
        signer == null ? new byte[0] : signer.signRequest(keys.requests(), codecName, payload);
    enqueue(cmd, waiting, payload, signature);
    return waiting.future;
  }

  private void enqueue(
      StatefulRedisConnection<String, byte[]> cmd,
      PendingCalls.Pending waiting,
      byte[] payload,
      byte[] signature) {
    String name = waiting.codec.model().qualifiedName();
    Scripts.ENQUEUE
        .<byte[]>run(
            cmd.async(),
            ScriptOutputType.VALUE,
            enqueueKeys,
            codecName,
            payload,
            streamCap,
            signature)
        .whenComplete(
            (entryId, error) -> {
              if (waiting.future.isDone()) {
                return;
              }
              if (error == null && entryId == null) {
                waiting.fail(
                    new NotConnectedException(
                        "No live server for service "
                            + keys.service()
                            + " (remote endpoint not connected)"));
              } else if (error != null) {
                switch (SendFailure.of(error)) {
                  case NOT_SENT:
                    waiting.fail(
                        new NotConnectedException(
                            "Cannot send " + name + ": " + error.getMessage(), error));
                    break;
                  case STREAM_FULL:
                    retryWhenRoom(cmd, waiting, payload, signature, error);
                    break;
                  case MAYBE_SENT:
                  default:
                    // The request may be in the stream and run: its reply or its deadline ends
                    // the call, never a guess that it failed.
                    log.debug("The enqueue of {} may have happened: {}", name, error.getMessage());
                    break;
                }
              }
            });
  }

  /** The stream could take no entry (its ids were pushed to the end); servers repair that soon. */
  private void retryWhenRoom(
      StatefulRedisConnection<String, byte[]> cmd,
      PendingCalls.Pending waiting,
      byte[] payload,
      byte[] signature,
      Throwable error) {
    if (waiting.deadline.remainingMillis() <= FULL_STREAM_RETRY_MILLIS) {
      waiting.fail(
          new NotConnectedException(
              "Cannot send "
                  + waiting.codec.model().qualifiedName()
                  + ": the request stream takes no entries: "
                  + error.getMessage(),
              error));
      return;
    }
    Timers.schedule(
        t -> {
          if (!waiting.future.isDone()) {
            enqueue(cmd, waiting, payload, signature);
          }
        },
        FULL_STREAM_RETRY_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  private void onReply(byte[] signedMessage) {
    byte[] message = MessageSigner.unframe(signer, replyChannel, signedMessage);
    if (message == null) {
      if (malformedReplies.incrementAndGet() == 1) {
        log.warn("Dropped an unsigned or wrongly signed reply on {}", replyChannel);
      }
      return;
    }
    IncomingReply reply;
    try {
      reply =
          codec.decodeReply(
              message,
              id -> {
                PendingCalls.Pending p = pending.get(id);
                return p == null ? null : p.codec;
              });
    } catch (MalformedMessageException | RuntimeException e) {
      if (malformedReplies.incrementAndGet() == 1) {
        log.warn("Dropped a malformed reply on {}: {}", replyChannel, e.getMessage());
      }
      return;
    }
    PendingCalls.Pending p = pending.get(reply.id());
    if (p == null) {
      // A call that timed out or was cancelled before its reply came, or a reply seen twice.
      if (unknownReplies.incrementAndGet() == 1) {
        log.debug("Dropped a reply for unknown call {} on {}", reply.id(), replyChannel);
      }
      return;
    }
    if (reply.error() != null) {
      p.fail(errors.apply(new ErrorReply(p.codec, reply.error())));
    } else {
      p.succeed(reply.result());
    }
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
    pending.failAll(
        new RpcException(StatusCode.CANCELLED, "Client of " + keys.service() + " was closed"));
    RedisClient c = client;
    client = null;
    commands = null;
    replies = null;
    if (c != null) {
      RedisConnector.shutdown(c);
    }
  }
}
