package io.redisrpc.internal.dispatch;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.redisrpc.internal.codec.IncomingRequest;
import io.redisrpc.internal.codec.WireCodec;
import io.redisrpc.internal.transport.ServerTransport;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The built-in method {@value #METHOD}, which every server answers before looking up endpoints: a
 * call through the request stream like any other, whose result names the instance that took it. Its
 * arguments are ignored.
 */
final class BuiltInPing {
  /** The method name; {@code $} is not allowed in endpoint names, so it clashes with none. */
  static final String METHOD = "$ping";

  private BuiltInPing() {}

  /**
   * Publishes the answer to {@code request} in its codec, {@code {"id", "result": {"service",
   * "instance", "in_flight", "redis_time_ms"}}}, then acknowledges and finishes its entry.
   */
  static void answer(
      ServerTransport t,
      String entryId,
      WireCodec codec,
      IncomingRequest request,
      String service,
      long deadlineMillis) {
    byte[] payload = encode(codec, request.id(), service, t);
    t.reply(request.replyTo(), request.id(), payload, deadlineMillis, false)
        .whenComplete(
            (delivered, error) ->
                t.acknowledge(entryId).whenComplete((ok, e) -> t.finished(entryId)));
  }

  private static byte[] encode(WireCodec codec, String id, String service, ServerTransport t) {
    ByteArrayBuilder out = new ByteArrayBuilder(128);
    try (JsonGenerator g = codec.format().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", id);
      g.writeObjectFieldStart("result");
      g.writeStringField("service", service);
      g.writeStringField("instance", t.instanceId());
      g.writeNumberField("in_flight", t.inFlight());
      g.writeNumberField("redis_time_ms", t.redisNowMillis());
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
