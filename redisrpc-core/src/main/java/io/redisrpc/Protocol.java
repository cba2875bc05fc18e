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
 *       (see docs/AIOREDIS.md).
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
  public static final Protocol NATIVE = new Protocol("native", null);

  private static final String AIOREDIS = "aioredis-rpc";
  private static final String REPLY_CHANNEL_PREFIX = "rpc_client.";

  private final String name;
  private final @Nullable String queueName;

  private Protocol(String name, @Nullable String queueName) {
    this.name = name;
    this.queueName = queueName;
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
    return new Protocol(AIOREDIS, queueName);
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
        && Objects.equals(((Protocol) o).queueName, queueName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, queueName);
  }

  @Override
  public String toString() {
    return queueName == null ? name : name + "(" + queueName + ")";
  }
}
