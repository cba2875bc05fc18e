package io.redisrpc.internal.transport;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.redisrpc.Codec;
import io.redisrpc.internal.codec.WireCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The per-instance ping: a caller publishes {@code "<reply_to> <id>"} on {@code rpc:{S}:ping};
 * every live instance answers on that reply channel with a JSON reply whose result names it. One
 * ping, one answer per instance: a round trip to each.
 */
public final class InstancePing {
  private InstancePing() {}

  /** A ping as received: where to answer, and the id to echo. */
  public record Request(String replyTo, String id) {}

  /** The ping message asking for answers on {@code replyTo} with {@code id}. */
  public static byte[] request(String replyTo, String id) {
    return (replyTo + " " + id).getBytes(StandardCharsets.UTF_8);
  }

  /** The ping in {@code message}, or null when it is not one. */
  public static @Nullable Request parse(byte[] message) {
    String text = new String(message, StandardCharsets.UTF_8);
    int space = text.indexOf(' ');
    if (space <= 0 || space == text.length() - 1 || text.length() > 1000) {
      return null;
    }
    return new Request(text.substring(0, space), text.substring(space + 1));
  }

  /**
   * The answer of instance {@code instanceId}: {@code {"id": id, "result": {"service", "instance",
   * "in_flight", "max_concurrency", "redis_time_ms"}}}, in JSON.
   */
  public static byte[] reply(
      String id,
      String service,
      String instanceId,
      int inFlight,
      int maxConcurrency,
      long redisTimeMillis) {
    ByteArrayBuilder out = new ByteArrayBuilder(160);
    try (JsonGenerator g = WireCodec.of(Codec.JSON).format().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", id);
      g.writeObjectFieldStart("result");
      g.writeStringField("service", service);
      g.writeStringField("instance", instanceId);
      g.writeNumberField("in_flight", inFlight);
      g.writeNumberField("max_concurrency", maxConcurrency);
      g.writeNumberField("redis_time_ms", redisTimeMillis);
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
