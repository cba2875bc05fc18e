package io.redisrpc.internal.aioredis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.redisrpc.Deadline;
import io.redisrpc.DeadlineExceededException;
import io.redisrpc.EventListener;
import io.redisrpc.NotConnectedException;
import io.redisrpc.RpcCall;
import io.redisrpc.RpcException;
import io.redisrpc.StatusCode;
import io.redisrpc.internal.codec.ErrorBody;
import io.redisrpc.internal.connection.RedisLink;
import io.redisrpc.internal.connection.Subscriber;
import io.redisrpc.internal.dispatch.Errors;
import io.redisrpc.internal.proxy.MethodModel;
import io.redisrpc.internal.proxy.ServiceModel;
import io.redisrpc.internal.transport.ClientChannel;
import io.redisrpc.internal.transport.PendingCalls;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client end of aioredis-rpc: publishes each request on the queue channel and receives the
 * replies on its own channel {@code rpc_client.<uuid1 hex>}. As the seed's client, a request that
 * no server receives fails at once with "remote endpoint not connected"; unlike it, every call ends
 * by its deadline and leaves nothing behind.
 */
public final class AioredisClientChannel implements ClientChannel {
  /** The prefix of the clients' reply channels, as the seed's {@code create_client} names them. */
  public static final String REPLY_CHANNEL_PREFIX = "rpc_client.";

  private static final Logger log = LoggerFactory.getLogger(AioredisClientChannel.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final AioredisCodec codec;
  private final String queue;
  private final String clientId;
  private final String replyChannel;
  private final int maxMessageBytes;
  private final PendingCalls<AioredisMethod> pending = new PendingCalls<>();
  private final AtomicLong droppedReplies = new AtomicLong();

  private final Subscriber replies = this::onReply;
  private @Nullable RedisLink link;
  private volatile @Nullable RedisClusterAsyncCommands<String, byte[]> commands;
  private volatile boolean connected;

  /** A client of {@code model} publishing on {@code queue}, not yet connected. */
  public AioredisClientChannel(ServiceModel model, String queue, int maxMessageBytes) {
    this.codec = AioredisCodec.of(model);
    this.queue = queue;
    this.clientId = Uuid1.hex();
    this.replyChannel = REPLY_CHANNEL_PREFIX + clientId;
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  public synchronized void connect(RedisLink link) {
    if (connected) {
      throw new IllegalStateException("already connected");
    }
    AioredisServerChannel.refuseSharded(link);
    RedisClusterAsyncCommands<String, byte[]> cmd = link.commands();
    try {
      link.awaitSubscription(
          link.subscriptions().subscribe(replyChannel, replies), replyChannel, CONNECT_TIMEOUT);
    } catch (RuntimeException e) {
      link.subscriptions().unsubscribe(replyChannel, replies);
      throw e;
    }
    this.link = link;
    this.commands = cmd;
    this.connected = true;
  }

  @Override
  public CompletableFuture<@Nullable Object> send(
      MethodModel endpoint, RpcCall call, @Nullable String codecName, EventListener listener) {
    AioredisMethod method = codec.method(endpoint);
    if (method == null) {
      throw new IllegalArgumentException(
          endpoint + " is not an endpoint of " + codec.service().name());
    }
    RedisClusterAsyncCommands<String, byte[]> cmd = commands;
    if (!connected || cmd == null) {
      return CompletableFuture.failedFuture(
          new NotConnectedException(
              "Client of "
                  + codec.service().name()
                  + " is not connected: call connect(dsn) first"));
    }
    Deadline deadline = call.deadline();
    long timeoutMillis = deadline.remainingMillis();
    if (timeoutMillis <= 0) {
      return CompletableFuture.failedFuture(
          new DeadlineExceededException(
              endpoint.qualifiedName() + " was not sent: its deadline had passed"));
    }
    String id = Uuid1.hex();
    byte[] payload;
    try {
      payload = codec.encodeRequest(id, replyChannel, method, call.arguments().toArray());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (payload.length > maxMessageBytes) {
      return CompletableFuture.failedFuture(
          new RpcException(
              StatusCode.RESOURCE_EXHAUSTED,
              "Request of "
                  + endpoint.qualifiedName()
                  + " is "
                  + payload.length
                  + " bytes, over the limit of "
                  + maxMessageBytes));
    }
    PendingCalls<AioredisMethod>.Pending p =
        pending.register(id, method, endpoint.qualifiedName(), deadline, timeoutMillis);
    cmd.publish(queue, payload)
        .whenComplete(
            (receivers, error) -> {
              if (error != null) {
                p.fail(
                    new NotConnectedException(
                        "Cannot send " + endpoint.qualifiedName() + ": " + error.getMessage(),
                        error));
              } else if (receivers == null || receivers == 0) {
                // The seed's RpcNotConnectedError: nobody subscribes to the queue.
                p.fail(
                    new NotConnectedException(
                        "remote endpoint not connected: no server subscribes to '"
                            + queue
                            + "' for "
                            + endpoint.qualifiedName()));
              }
            });
    return p.future;
  }

  private void onReply(byte[] message) {
    AioredisCodec.Reply reply;
    try {
      reply =
          codec.decodeReply(
              message,
              id -> {
                PendingCalls<AioredisMethod>.Pending p = pending.get(id);
                return p == null ? null : p.method;
              });
    } catch (BadMessageException | RuntimeException e) {
      if (droppedReplies.incrementAndGet() == 1) {
        log.warn("Dropped a malformed reply on {}: {}", replyChannel, e.getMessage());
      }
      return;
    }
    PendingCalls<AioredisMethod>.Pending p = pending.get(reply.id());
    if (p == null) {
      // A call that timed out or was cancelled, or a second server's reply (requests are
      // broadcast to every server of the queue).
      droppedReplies.incrementAndGet();
      log.debug("Dropped a reply for unknown call {} on {}", reply.id(), replyChannel);
      return;
    }
    MethodModel model = p.method.model();
    if (reply.error() != null) {
      p.fail(toException(reply.error(), model));
    } else if (reply.undecodable() != null) {
      p.fail(
          new RpcException(
              StatusCode.INTERNAL,
              "Cannot decode the result of " + model.qualifiedName() + ": " + reply.undecodable()));
    } else {
      p.succeed(reply.result());
    }
  }

  /**
   * The exception for an error map, as the native protocol makes it: the endpoint's declared
   * exception type whose simple (or full) name is the error class, else a {@link
   * io.redisrpc.RemoteException}; code {@link StatusCode#UNKNOWN}, since the seed has no codes.
   */
  static Throwable toException(RemoteError error, MethodModel model) {
    String declared = null;
    for (Class<?> candidate : model.declaredExceptions()) {
      if (candidate.getSimpleName().equals(error.errorClass())
          || candidate.getName().equals(error.errorClass())) {
        declared = candidate.getName();
        break;
      }
    }
    String type = error.errorClass().isEmpty() ? null : error.errorClass();
    return Errors.toException(
        new ErrorBody(StatusCode.UNKNOWN.name(), error.msg(), type, declared), model);
  }

  @Override
  public String clientId() {
    return clientId;
  }

  /** The channel replies arrive on. */
  public String replyChannel() {
    return replyChannel;
  }

  @Override
  public int pendingCalls() {
    return pending.size();
  }

  /** Replies dropped as malformed, late, or second answers of a broadcast request. */
  public long droppedReplies() {
    return droppedReplies.get();
  }

  @Override
  public boolean isConnected() {
    return connected;
  }

  @Override
  public synchronized void close() {
    if (!connected) {
      return;
    }
    connected = false;
    RpcException closed =
        new RpcException(
            StatusCode.CANCELLED, "Client of " + codec.service().name() + " was closed");
    pending.failAll(closed);
    RedisLink l = link;
    link = null;
    commands = null;
    if (l != null) {
      l.subscriptions().unsubscribe(replyChannel, replies);
    }
  }
}
