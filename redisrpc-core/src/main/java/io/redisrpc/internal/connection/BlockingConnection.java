package io.redisrpc.internal.connection;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.UnblockType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A connection of its own for a blocking command (XREADGROUP ... BLOCK) on one key, on the node
 * that owns the key: a blocked command would hold up everything queued behind it on a shared
 * connection. It follows the key when the topology changes, and can end a blocked command early
 * with CLIENT UNBLOCK, sent over the shared connection to the same node.
 */
public final class BlockingConnection implements AutoCloseable {
  private final RedisLink link;
  private final String key;
  private @Nullable Open open;
  private boolean closed;

  /** The connection open now, the node it goes to, and its client id there once known. */
  private static final class Open {
    final RedisURI node;
    final CompletableFuture<StatefulRedisConnection<String, byte[]>> connection;
    volatile long clientId = -1;

    Open(RedisURI node, CompletableFuture<StatefulRedisConnection<String, byte[]>> connection) {
      this.node = node;
      this.connection = connection;
    }
  }

  BlockingConnection(RedisLink link, String key) {
    this.link = link;
    this.key = key;
  }

  /**
   * Sends {@code type} with {@code args} on this connection, opened (again) to the node that owns
   * the key now.
   */
  public <T> CompletionStage<T> dispatch(
      ProtocolKeyword type,
      CommandOutput<String, byte[], T> output,
      CommandArgs<String, byte[]> args) {
    Open o;
    try {
      o = current();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return o.connection.thenCompose(
        c -> {
          CompletionStage<Long> id =
              o.clientId >= 0
                  ? CompletableFuture.completedFuture(o.clientId)
                  : c.async().clientId().thenApply(i -> o.clientId = i);
          return id.thenCompose(i -> c.async().dispatch(type, output, args))
              .whenComplete(
                  (result, error) -> {
                    if (error != null && !isClosed()) {
                      // A moved slot or a dead node: the next read goes where the topology says.
                      link.refreshTopology();
                    }
                  });
        });
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  private synchronized Open current() {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    RedisURI node = link.nodeFor(key);
    Open o = open;
    if (o != null && sameAddress(o.node, node) && !o.connection.isCompletedExceptionally()) {
      return o;
    }
    if (o != null) {
      o.connection.thenAccept(StatefulRedisConnection::closeAsync);
    }
    CompletableFuture<StatefulRedisConnection<String, byte[]>> opening = link.connect(node);
    Open next = new Open(node, opening);
    opening.thenAccept(
        c ->
            c.addListener(
                new RedisConnectionStateListener() {
                  @Override
                  public void onRedisConnected(
                      RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
                    next.clientId = -1; // a new connection has a new id
                  }
                }));
    open = next;
    return next;
  }

  private static boolean sameAddress(RedisURI a, RedisURI b) {
    return Objects.equals(a.getHost(), b.getHost()) && a.getPort() == b.getPort();
  }

  /**
   * Ends a command blocked on this connection now as if its block time had passed (what it already
   * took is still delivered). Completes at once when nothing can be blocked.
   */
  public CompletionStage<?> unblock() {
    Open o;
    synchronized (this) {
      o = open;
    }
    if (o == null || o.clientId < 0) {
      return CompletableFuture.completedFuture(null);
    }
    long id = o.clientId;
    return link.commandsAt(o.node).thenCompose(c -> c.clientUnblock(id, UnblockType.TIMEOUT));
  }

  @Override
  public synchronized void close() {
    closed = true;
    Open o = open;
    open = null;
    if (o == null) {
      return;
    }
    if (o.connection.isDone() && !o.connection.isCompletedExceptionally()) {
      // Closed before returning, so that closing the root right after finds it closed.
      o.connection.join().close();
    } else {
      o.connection.thenAccept(StatefulRedisConnection::closeAsync);
    }
  }
}
