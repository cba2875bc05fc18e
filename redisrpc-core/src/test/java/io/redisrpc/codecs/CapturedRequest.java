package io.redisrpc.codecs;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.redisrpc.DeadlineExceededException;
import io.redisrpc.testing.RedisProcess;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A request as it lands in its service's stream, caught behind the library's back: a made-up live
 * instance lets the client enqueue, nobody takes the entry, and the call times out.
 */
public record CapturedRequest(String codec, byte[] payload) {
  /** The entry {@code call} (which must time out) appends to service {@code service}'s stream. */
  public static CapturedRequest of(RedisProcess redis, String service, Runnable call) {
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<byte[], byte[]> connection =
        client.connect(ByteArrayCodec.INSTANCE)) {
      byte[] instances = bytes("rpc:{" + service + "}:instances");
      byte[] stream = bytes("rpc:{" + service + "}:requests");
      connection.sync().del(stream);
      connection.sync().zadd(instances, 9e15, bytes("nobody"));
      try {
        assertThatThrownBy(call::run).isInstanceOf(DeadlineExceededException.class);
        List<StreamMessage<byte[], byte[]>> entries =
            connection.sync().xrange(stream, Range.create("-", "+"));
        Map<String, byte[]> fields = new TreeMap<>();
        entries.get(entries.size() - 1).getBody().forEach((k, v) -> fields.put(text(k), v));
        return new CapturedRequest(text(fields.get("codec")), fields.get("payload"));
      } finally {
        connection.sync().zrem(instances, bytes("nobody"));
        connection.sync().del(stream);
      }
    } finally {
      client.shutdown();
    }
  }

  /** The payload as text (JSON). */
  public String text() {
    return text(payload);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
