package io.redisrpc.internal.transport;

import io.redisrpc.EventListener;
import io.redisrpc.RpcCall;
import io.redisrpc.internal.connection.RedisLink;
import io.redisrpc.internal.proxy.MethodModel;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** What a client proxy sends its calls through: one implementation per wire protocol. */
public interface ClientChannel extends AutoCloseable {
  /**
   * Connects through {@code link}, which stays open after {@link #close()}; returns once replies
   * can arrive.
   */
  void connect(RedisLink link);

  /**
   * Sends {@code call} of {@code method}; the future completes with the decoded result or fails
   * with an {@link io.redisrpc.RpcException}, by the call's deadline at the latest.
   */
  CompletableFuture<@Nullable Object> send(
      MethodModel method, RpcCall call, @Nullable String codec, EventListener listener);

  /**
   * Sends {@code call} of {@code method} to every live server instance at once; the future
   * completes with each instance's answer by instance id, by the call's deadline.
   */
  default CompletableFuture<Map<String, BroadcastCall.Answer>> broadcast(
      MethodModel method, RpcCall call, @Nullable String codec) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException(
            "Broadcast calls need the native protocol: aioredis-rpc has none"));
  }

  /**
   * Opens a stream: sends {@code call} of streaming endpoint {@code method}, granting the server
   * {@code credits} items at first; {@code receiver} gets the items, and the handle ends with the
   * stream, by the call's deadline at the latest.
   *
   * @throws UnsupportedOperationException when the protocol has no streams
   */
  default StreamHandle openStream(
      MethodModel method,
      RpcCall call,
      @Nullable String codec,
      long credits,
      StreamReceiver receiver) {
    throw new UnsupportedOperationException(
        method.qualifiedName() + ": this protocol has no streams");
  }

  /** This client instance's id. */
  String clientId();

  /** How many calls wait for a reply. */
  int pendingCalls();

  /** Replies dropped as malformed or as answers to calls that no longer wait. */
  default long droppedReplies() {
    return 0;
  }

  /** Whether connected and not closed. */
  boolean isConnected();

  /** Fails the waiting calls and closes the connections. */
  @Override
  void close();
}
