package io.redisrpc.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor of any RPC over Redis: raw Lettuce pub/sub ping-pong, two PUBLISH per call. The caller
 * publishes an 8-byte call id and the payload on the request channel; the responder publishes each
 * message back on the reply channel. One pub/sub connection and one command connection per side.
 */
final class FloorTarget implements Target, AutoCloseable {
  private final RedisClient client;
  private final byte[] requests;
  private final byte[] replies;
  private final ConcurrentHashMap<Long, CompletableFuture<byte[]>> pending =
      new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final RedisAsyncCommands<byte[], byte[]> callerPublish;

  FloorTarget(String redisUri) {
    this.client = RedisClient.create(RedisURI.create(redisUri));
    String prefix = "bench:floor:" + UUID.randomUUID() + ":";
    this.requests = (prefix + "requests").getBytes(StandardCharsets.UTF_8);
    this.replies = (prefix + "replies").getBytes(StandardCharsets.UTF_8);
    try {
      // Responder side.
      StatefulRedisConnection<byte[], byte[]> responderCommands =
          client.connect(ByteArrayCodec.INSTANCE);
      RedisAsyncCommands<byte[], byte[]> responderPublish = responderCommands.async();
      StatefulRedisPubSubConnection<byte[], byte[]> responderSub =
          client.connectPubSub(ByteArrayCodec.INSTANCE);
      responderSub.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] channel, byte[] message) {
              responderPublish.publish(replies, message);
            }
          });
      responderSub.sync().subscribe(requests);
      // Caller side.
      StatefulRedisPubSubConnection<byte[], byte[]> callerSub =
          client.connectPubSub(ByteArrayCodec.INSTANCE);
      callerSub.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] channel, byte[] message) {
              onReply(message);
            }
          });
      callerSub.sync().subscribe(replies);
      this.callerPublish = client.connect(ByteArrayCodec.INSTANCE).async();
    } catch (RuntimeException e) {
      client.shutdown();
      throw e;
    }
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
    callerPublish
        .publish(requests, message)
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
