package io.redisrpc.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor of any RPC over Redis: raw Lettuce pub/sub ping-pong, two PUBLISH per call. The caller
 * publishes an 8-byte call id and the payload on the request channel; the responder publishes each
 * message back on the reply channel. One pub/sub connection and one command connection per side.
 *
 * <p>On a Redis Cluster the channels are sharded ({@code SSUBSCRIBE}, two {@code SPUBLISH} per
 * call), both in the slot of one hash tag, like the channels of one redisrpc service, and every
 * connection goes straight to the primary owning that slot: still two round trips per call. With
 * several shards, each has its own pair of channels and connections, on the primary of the redisrpc
 * service of the same shard, and calls go to the shards in turn.
 */
final class FloorTarget implements Target, AutoCloseable {
  private final RedisClient client;
  private final List<Shard> shards = new ArrayList<>();
  private final List<String> placement = new ArrayList<>();
  private final ConcurrentHashMap<Long, CompletableFuture<byte[]>> pending =
      new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();

  /** One pair of channels: the request channel, the caller's commands, whether it is sharded. */
  private record Shard(
      byte[] requests, RedisAsyncCommands<byte[], byte[]> callerPublish, boolean sharded) {
    RedisFuture<Long> publishRequest(byte[] message) {
      return sharded
          ? callerPublish.spublish(requests, message)
          : callerPublish.publish(requests, message);
    }
  }

  /**
   * The floor on {@code redis}; on a cluster, one pair of channels on each of {@code placement}
   * (primaries of the cluster, one per shard).
   */
  FloorTarget(RedisDeployment redis, List<RedisDeployment.Primary> placement) {
    this.client = RedisClient.create();
    String prefix = "bench:floor:" + UUID.randomUUID();
    try {
      if (!redis.isCluster()) {
        shards.add(open(redis.single(), prefix + ":requests", prefix + ":replies", false));
        return;
      }
      for (int i = 0; i < placement.size(); i++) {
        RedisDeployment.Primary wanted = placement.get(i);
        String tag = tagOn(redis, wanted, prefix + ":" + i);
        shards.add(open(wanted.uri(), "{" + tag + "}:requests", "{" + tag + "}:replies", true));
        this.placement.add(wanted.address());
      }
    } catch (RuntimeException e) {
      client.shutdown();
      throw e;
    }
  }

  /** A hash tag starting with {@code base} whose slot {@code primary} owns. */
  private static String tagOn(RedisDeployment redis, RedisDeployment.Primary primary, String base) {
    for (int k = 0; k < 100_000; k++) {
      String tag = base + ":" + k;
      if (redis.ownerOf("{" + tag + "}") == primary) {
        return tag;
      }
    }
    throw new IllegalStateException("no hash tag found for a slot of " + primary.address());
  }

  private Shard open(RedisURI node, String requestName, String replyName, boolean sharded) {
    byte[] requests = requestName.getBytes(StandardCharsets.UTF_8);
    byte[] replies = replyName.getBytes(StandardCharsets.UTF_8);
    // Responder side.
    StatefulRedisConnection<byte[], byte[]> responderCommands =
        client.connect(ByteArrayCodec.INSTANCE, node);
    RedisAsyncCommands<byte[], byte[]> responderPublish = responderCommands.async();
    StatefulRedisPubSubConnection<byte[], byte[]> responderSub =
        client.connectPubSub(ByteArrayCodec.INSTANCE, node);
    responderSub.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(byte[] channel, byte[] message) {
            responderPublish.publish(replies, message);
          }

          @Override
          public void smessage(byte[] channel, byte[] message) {
            responderPublish.spublish(replies, message);
          }
        });
    // Caller side.
    StatefulRedisPubSubConnection<byte[], byte[]> callerSub =
        client.connectPubSub(ByteArrayCodec.INSTANCE, node);
    callerSub.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(byte[] channel, byte[] message) {
            onReply(message);
          }

          @Override
          public void smessage(byte[] channel, byte[] message) {
            onReply(message);
          }
        });
    if (sharded) {
      responderSub.sync().ssubscribe(requests);
      callerSub.sync().ssubscribe(replies);
    } else {
      responderSub.sync().subscribe(requests);
      callerSub.sync().subscribe(replies);
    }
    return new Shard(requests, client.connect(ByteArrayCodec.INSTANCE, node).async(), sharded);
  }

  /** The primary of each shard, in order; empty outside a cluster. */
  List<String> placement() {
    return List.copyOf(placement);
  }

  private void onReply(byte[] message) {
    if (message.length < Long.BYTES) {
      return;
    }
    CompletableFuture<byte[]> call = pending.remove(ByteBuffer.wrap(message).getLong());
    if (call != null) {
      call.complete(Arrays.copyOfRange(message, Long.BYTES, message.length));
    }
  }

  @Override
  public String id() {
    return "floor";
  }

  @Override
  public String system() {
    return "floor";
  }

  @Override
  public String codec() {
    return "raw";
  }

  @Override
  public String workload() {
    return "default";
  }

  @Override
  public CompletableFuture<byte[]> call(byte[] payload) {
    long id = sequence.incrementAndGet();
    byte[] message = new byte[Long.BYTES + payload.length];
    ByteBuffer.wrap(message).putLong(id).put(payload);
    CompletableFuture<byte[]> call = new CompletableFuture<>();
    pending.put(id, call);
    Shard shard = shards.get((int) (id % shards.size()));
    shard
        .publishRequest(message)
        .whenComplete(
            (receivers, error) -> {
              if (error != null) {
                pending.remove(id);
                call.completeExceptionally(error);
              } else if (receivers == 0) {
                pending.remove(id);
                call.completeExceptionally(new IllegalStateException("no responder subscribed"));
              }
            });
    return call;
  }

  @Override
  public void close() {
    client.shutdown();
  }
}
