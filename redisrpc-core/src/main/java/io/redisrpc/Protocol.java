package io.redisrpc;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The wire protocol a client or server speaks. Clients and servers only talk to peers of the same
 * protocol.
 *
 * <ul>
 *   <li>{@link #NATIVE}, the default: requests in a Redis stream read through a consumer group, so
 *       each call runs on one server, with deadlines, headers, status codes and liveness (see
 *       docs/PROTOCOL.md).
 *   <li>{@link #aioredisRpc()}: the wire format of the Python library aioredis-rpc 1.x, to call its
 *       services and be called by its clients without changing them. Requests are broadcast on a
 *       pub/sub channel to every subscribed server, at most once, without deadlines on the wire
 *       (see docs/AIOREDIS.md). A Java server runs them concurrently, possibly out of order, unless
 *       asked to keep {@link #inArrivalOrder() arrival order}, as a Python server does.
 * </ul>
 *
 * <pre>{@code
 * RpcClient<Dropbox> client =
 *     RpcClient.builder(Dropbox.class).protocol(Protocol.aioredisRpc()).build();
 * }</pre>
 */
public final class Protocol {
  /**
   * The queue (pub/sub channel) name aioredis-rpc's {@code create_client} and {@code create_server}
   * use.
   */
  public static final String AIOREDIS_DEFAULT_QUEUE = "rpc_queue";

  /** redisrpc's own protocol over Redis Streams; the default. */
  public static final Protocol NATIVE = new Protocol("native", null, false);

  private static final String AIOREDIS = "aioredis-rpc";
  private static final String REPLY_CHANNEL_PREFIX = "rpc_client.";

  private final String name;
  private final @Nullable String queueName;
  private final boolean inArrivalOrder;

  private Protocol(String name, @Nullable String queueName, boolean inArrivalOrder) {
    this.name = name;
    this.queueName = queueName;
    this.inArrivalOrder = inArrivalOrder;
  }

  /** aioredis-rpc's wire format on its default queue, {@value #AIOREDIS_DEFAULT_QUEUE}. */
  public static Protocol aioredisRpc() {
    return aioredisRpc(AIOREDIS_DEFAULT_QUEUE);
  }

  /**
   * aioredis-rpc's wire format on {@code queueName}, the {@code queue_name} given to the Python
   * side's {@code create_client} / {@code create_server}.
   *
   * @throws IllegalArgumentException when the name is empty, over 1,000 characters, or one of the
   *     clients' reply channels ({@code rpc_client.*})
   */
  public static Protocol aioredisRpc(String queueName) {
    Objects.requireNonNull(queueName, "queueName == null");
    if (queueName.isEmpty() || queueName.length() > 1000) {
      throw new IllegalArgumentException(
          "Invalid aioredis-rpc queue name '" + queueName + "': use 1 to 1000 characters");
    }
    if (queueName.startsWith(REPLY_CHANNEL_PREFIX)) {
      throw new IllegalArgumentException(
          "Invalid aioredis-rpc queue name '"
              + queueName
              + "': channels starting with '"
              + REPLY_CHANNEL_PREFIX
              + "' are the clients' reply channels");
    }
    return new Protocol(AIOREDIS, queueName, false);
  }

  /**
   * This aioredis-rpc protocol, with servers that run the queue's calls one at a time, in the order
   * they arrive, as a Python aioredis-rpc server does. Each call finishes (an asynchronous
   * handler's future included) and its reply is published before the next call starts, so calls a
   * client sends back to back, without waiting for their replies, run in the order it sent them.
   *
   * <p>By default a Java server runs up to {@code maxConcurrency} calls at once, so a later call
   * may start, and finish, before an earlier one. In arrival order a slow or stuck call holds up
   * every call behind it; calls waiting beyond the server's backlog are dropped, as at most once
   * allows. Every server subscribed to the queue still runs every call: arrival order holds on each
   * server, not across servers.
   *
   * <p>Only servers read this option; a client given this protocol behaves as with {@link
   * #aioredisRpc(String)}, so one constant can configure both ends.
   *
   * <pre>{@code
   * RpcServer server =
   *     RpcServer.builder(Dropbox.class, new DropboxService(2))
   *         .protocol(Protocol.aioredisRpc("files").inArrivalOrder())
   *         .build();
   * }</pre>
   *
   * @return the protocol on the same queue with servers in arrival order; this one when it already
   *     is
   * @throws UnsupportedOperationException on {@link #NATIVE}, whose servers share a service's calls
   *     rather than each running all of them, so that there is no arrival order to keep
   */
  public Protocol inArrivalOrder() {
    if (queueName == null) {
      throw new UnsupportedOperationException(
          "inArrivalOrder() applies to Protocol.aioredisRpc(...) only: native servers share a"
              + " service's calls through a consumer group, so there is no arrival order to keep");
    }
    return inArrivalOrder ? this : new Protocol(name, queueName, true);
  }

  /**
   * Whether servers of this protocol run the queue's calls one at a time, in arrival order; see
   * {@link #inArrivalOrder()}. Always false for {@link #NATIVE}.
   */
  public boolean isInArrivalOrder() {
    return inArrivalOrder;
  }

  /** {@code native} or {@code aioredis-rpc}. */
  public String name() {
    return name;
  }

  /** Whether this is the {@link #NATIVE} protocol. */
  public boolean isNative() {
    return queueName == null;
  }

  /** The pub/sub channel requests are published on, for aioredis-rpc; empty for native. */
  public Optional<String> queueName() {
    return Optional.ofNullable(queueName);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Protocol
        && ((Protocol) o).name.equals(name)
        && Objects.equals(((Protocol) o).queueName, queueName)
        && ((Protocol) o).inArrivalOrder == inArrivalOrder;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, queueName, inArrivalOrder);
  }

  /**
   * {@code native}, {@code aioredis-rpc(<queue>)} or {@code aioredis-rpc(<queue>, in arrival
   * order)}.
   */
  @Override
  public String toString() {
    if (queueName == null) {
      return name;
    }
    return name + "(" + queueName + (inArrivalOrder ? ", in arrival order)" : ")");
  }
}
