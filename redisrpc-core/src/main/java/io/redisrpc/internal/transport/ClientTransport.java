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
import io.redisrpc.internal.codec.IncomingReply;
import io.redisrpc.internal.codec.MalformedMessageException;
import io.redisrpc.internal.codec.MethodCodec;
import io.redisrpc.internal.codec.WireCodec;
import io.redisrpc.internal.proxy.MethodModel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client end of the native protocol: appends requests to the service's stream and receives
 * replies on the pub/sub channel private to this client instance.
 */
public final class ClientTransport implements ClientChannel {
  private static final Logger log = LoggerFactory.getLogger(ClientTransport.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final RedisKeys keys;
  private final String clientId;
  private final String replyChannel;
  private final WireCodec codec;
  private final int maxMessageBytes;
  private final Function<ErrorReply, Throwable> errors;
  private final java.util.Map<MethodModel, MethodCodec> methods = new java.util.HashMap<>();
  private final PendingCalls pending = new PendingCalls();
  private static final byte[] SEPARATOR = {0};
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong unknownReplies = new AtomicLong();
  private final AtomicLong malformedReplies = new AtomicLong();
  private final String[] enqueueKeys;
  private final byte[] codecName;
  private final byte[] streamCap;
  private final @Nullable MessageSigner signer;

  private @Nullable RedisClient client;
  private @Nullable StatefulRedisConnection<String, byte[]> commands;
  private @Nullable StatefulRedisPubSubConnection<String, byte[]> replies;
  private volatile boolean connected;

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
    this.codec = codec;
    this.maxMessageBytes = maxMessageBytes;
    this.errors = errors;
    this.enqueueKeys = new String[] {keys.requests(), keys.instances()};
    this.codecName = Scripts.bytes(codec.codec().name());
    this.streamCap = Scripts.bytes(Long.toString(maxStreamLength));
    for (MethodModel endpoint : endpoints) {
      methods.put(endpoint, codec.methodCodec(endpoint));
    }
  }

  /** Connects and subscribes to the reply channel; returns once replies can arrive. */
  @Override
  public synchronized void connect(RedisURI uri) {
    if (connected) {
      throw new IllegalStateException("already connected");
    }
    // Every call has its own deadline timer: a second timer per Redis command would only cost.
    ClientConnections opened =
        ClientConnections.open(uri, replyChannel, this::onReply, CONNECT_TIMEOUT, null);
    this.client = opened.client();
    this.replies = opened.replies();
    this.commands = opened.commands();
    this.connected = true;
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
    String id = Long.toString(sequence.incrementAndGet(), 36);
    byte[] payload;
    try {
      payload =
          codec.encodeRequest(
              id, replyChannel, method, timeoutMillis, call.headers(), call.arguments().toArray());
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
    PendingCalls.Pending call0 = pending.register(id, method, deadline, timeoutMillis);
    call0.future.whenComplete(
        (result, error) -> {
          if (call0.future.isCancelled() || error instanceof DeadlineExceededException) {
            // Nobody waits any more: let the server skip it, or interrupt it.
            byte[] notice = Scripts.bytes(replyChannel + " " + id);
            cmd.async().publish(keys.cancellations(), MessageSigner.frame(signer, notice));
          }
        });
    Scripts.ENQUEUE
        .<byte[]>run(
            cmd.async(),
            ScriptOutputType.VALUE,
            enqueueKeys,
            codecName,
            payload,
            streamCap,
            signer == null ? new byte[0] : signer.sign(codecName, SEPARATOR, payload))
        .whenComplete(
            (entryId, error) -> {
              if (error != null) {
                call0.future.completeExceptionally(
                    new NotConnectedException(
                        "Cannot send " + method.model().qualifiedName() + ": " + error.getMessage(),
                        error));
              } else if (entryId == null) {
                call0.future.completeExceptionally(
                    new NotConnectedException(
                        "No live server for service "
                            + keys.service()
                            + " (remote endpoint not connected)"));
              }
            });
    return call0.future;
  }

  private void onReply(byte[] signedMessage) {
    byte[] message = MessageSigner.unframe(signer, signedMessage);
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
      // A call that timed out or was cancelled before its reply came.
      if (unknownReplies.incrementAndGet() == 1) {
        log.debug("Dropped a reply for unknown call {} on {}", reply.id(), replyChannel);
      }
      return;
    }
    if (reply.error() != null) {
      p.future.completeExceptionally(errors.apply(new ErrorReply(p.codec, reply.error())));
    } else {
      p.future.complete(reply.result());
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
