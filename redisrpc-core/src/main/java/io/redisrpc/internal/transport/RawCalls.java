package io.redisrpc.internal.transport;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.redisrpc.DeadlineExceededException;
import io.redisrpc.NotConnectedException;
import io.redisrpc.RemoteException;
import io.redisrpc.RpcException;
import io.redisrpc.StatusCode;
import io.redisrpc.internal.codec.ErrorBody;
import io.redisrpc.internal.codec.ExactJson;
import io.redisrpc.internal.connection.RedisLink;
import io.redisrpc.internal.registry.ServiceDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Calls of the native protocol without a Java interface: JSON arguments in, the JSON result out, as
 * any client in any language would make them (ENQUEUE, then wait on its own reply channel). Also
 * pings every live instance at once over {@code rpc:{S}:ping}.
 */
public final class RawCalls implements AutoCloseable {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final byte[] JSON_CODEC = Scripts.bytes("json");
  private static final byte[] STREAM_CAP = Scripts.bytes("1000000");

  private final RedisKeys keys;
  private final ReplyRoutes routes;
  private final String pingChannel;
  private final RedisLink link;
  private final RedisClusterAsyncCommands<String, byte[]> commands;
  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, CompletableFuture<RawReply>> pending = new ConcurrentHashMap<>();
  private final Map<String, PingCollector> pings = new ConcurrentHashMap<>();

  /** A reply: the result (JSON null when absent), or the error. */
  public record RawReply(JsonNode result, @Nullable ErrorBody error) {}

  private RawCalls(List<RedisKeys> partitions, RedisLink link) {
    this.keys = partitions.get(0);
    this.link = link;
    this.commands = link.commands();
    String clientId = UUID.randomUUID().toString().replace("-", "");
    this.routes =
        new ReplyRoutes(
            partitions, clientId, () -> commands, (channel, m) -> onReply(m), () -> true);
    this.pingChannel = partitions.get(0).replyChannel(clientId);
  }

  /**
   * Connects to {@code service} through {@code link}, with as many partitions as its descriptor
   * says (one without a descriptor); returns once replies can arrive.
   *
   * @throws NotConnectedException when Redis cannot be reached
   */
  public static RawCalls connect(RedisLink link, String service) {
    RawCalls calls = new RawCalls(RedisKeys.partitions(service, partitions(link, service)), link);
    calls.routes.subscribe(link, CONNECT_TIMEOUT);
    return calls;
  }

  /** The number of partitions the service's descriptor declares; 1 when it declares none. */
  private static int partitions(RedisLink link, String service) {
    try {
      byte[] descriptor =
          link.commands()
              .get(new RedisKeys(service).descriptor())
              .get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return descriptor == null
          ? 1
          : ServiceDescriptor.partitions(new String(descriptor, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NotConnectedException("Interrupted while connecting", e);
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      throw link.cannotConnect(e);
    }
  }

  /**
   * Calls {@code method} with {@code args} (a JSON array, one element per parameter) in the JSON
   * codec. The future completes with the reply; fails with {@link TimeoutException} after {@code
   * timeoutMillis} (the call is then announced as cancelled), or with {@link NotConnectedException}
   * when no server is live or Redis fails.
   */
  public CompletableFuture<RawReply> call(String method, ArrayNode args, long timeoutMillis) {
    String id = Long.toString(sequence.incrementAndGet(), 36);
    ReplyRoutes.Route route = routes.next();
    String replyChannel = route.replyChannel();
    byte[] payload = request(id, replyChannel, method, timeoutMillis, args);
    CompletableFuture<RawReply> reply = new CompletableFuture<>();
    pending.put(id, reply);
    reply
        .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .whenComplete(
            (r, error) -> {
              pending.remove(id);
              if (error instanceof TimeoutException) {
                link.publish(keys.cancellations(), Scripts.bytes(replyChannel + " " + id));
              }
            });
    Scripts.ENQUEUE
        .<byte[]>run(
            commands,
            ScriptOutputType.VALUE,
            route.enqueueKeys(),
            JSON_CODEC,
            payload,
            STREAM_CAP,
            new byte[0])
        .whenComplete(
            (entryId, error) -> {
              if (error != null) {
                if (SendFailure.of(error) != SendFailure.MAYBE_SENT) {
                  reply.completeExceptionally(
                      new NotConnectedException(
                          "Cannot send "
                              + keys.service()
                              + "."
                              + method
                              + ": "
                              + error.getMessage(),
                          error));
                }
                // Else it may have been appended: its reply or the timeout ends the call.
              } else if (entryId == null) {
                reply.completeExceptionally(new NotConnectedException(routes.noLiveServer(route)));
              }
            });
    return reply;
  }

  /**
   * Calls {@code method} with {@code argumentsJson}, a JSON array with one element per parameter,
   * waiting up to {@code timeout}; returns the result as compact JSON ({@code null} for void).
   *
   * @throws IllegalArgumentException when {@code argumentsJson} is not a JSON array
   * @throws io.redisrpc.RemoteException when the server answered with an error
   * @throws io.redisrpc.DeadlineExceededException when no reply came in time
   * @throws NotConnectedException when no server of the service is live, or Redis failed
   */
  public String callJson(String method, String argumentsJson, Duration timeout) {
    JsonNode args;
    try {
      args = ExactJson.MAPPER.readTree(argumentsJson);
    } catch (IOException e) {
      String why =
          e instanceof com.fasterxml.jackson.core.JsonProcessingException
              ? ((com.fasterxml.jackson.core.JsonProcessingException) e).getOriginalMessage()
              : e.getMessage();
      throw new IllegalArgumentException("Invalid JSON arguments: " + why, e);
    }
    if (args == null || !args.isArray()) {
      throw new IllegalArgumentException(
          "The arguments must be a JSON array, one element per parameter");
    }
    String qualified = keys.service() + "." + method;
    long millis = Math.max(1, timeout.toMillis());
    RawReply reply;
    try {
      reply = call(method, (ArrayNode) args, millis).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcException(StatusCode.CANCELLED, "Interrupted while calling " + qualified, e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof TimeoutException) {
        throw new DeadlineExceededException(
            qualified + " timed out after " + millis + " ms without a reply");
      }
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new RpcException(StatusCode.INTERNAL, String.valueOf(cause), cause);
    }
    ErrorBody error = reply.error();
    if (error != null) {
      throw new RemoteException(
          StatusCode.fromName(error.code()), error.message(), error.type(), qualified);
    }
    try {
      return ExactJson.MAPPER.writeValueAsString(reply.result());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Pings every live instance at once and waits until {@code expected} instances answered or {@code
   * wait} passed. Returns each answering instance's id with its round trip in nanoseconds, in the
   * order they answered.
   */
  public Map<String, Long> pingInstances(int expected, Duration wait) {
    String id = "ping-" + Long.toString(sequence.incrementAndGet(), 36);
    PingCollector collector = new PingCollector(expected);
    pings.put(id, collector);
    try {
      collector.start = System.nanoTime();
      link.publish(keys.pings(), InstancePing.request(pingChannel, id));
      try {
        collector.done.get(wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
        // whoever answered in time
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (collector) {
        return new LinkedHashMap<>(collector.answers);
      }
    } finally {
      pings.remove(id);
    }
  }

  private byte[] request(
      String id, String replyChannel, String method, long timeoutMillis, ArrayNode args) {
    ByteArrayBuilder out = new ByteArrayBuilder(256);
    try (JsonGenerator g = ExactJson.MAPPER.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("v", io.redisrpc.internal.codec.WireCodec.REQUEST_VERSION);
      g.writeStringField("id", id);
      g.writeStringField("reply_to", replyChannel);
      g.writeStringField("method", method);
      g.writeNumberField("timeout_ms", timeoutMillis);
      g.writeFieldName("args");
      ExactJson.MAPPER.writeTree(g, args);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private void onReply(byte[] message) {
    if (ReplyBatch.isBatch(message)) {
      ReplyBatch.forEach(message, one -> onReply(ReplyBatch.isBatch(one) ? new byte[0] : one));
      return;
    }
    long now = System.nanoTime();
    JsonNode reply;
    try {
      reply = ExactJson.MAPPER.readTree(message);
    } catch (IOException e) {
      return;
    }
    if (reply == null || !reply.path("id").isTextual()) {
      return;
    }
    String id = reply.get("id").asText();
    PingCollector collector = pings.get(id);
    if (collector != null) {
      collector.answered(reply.path("result").path("instance").asText(""), now);
      return;
    }
    CompletableFuture<RawReply> call = pending.get(id);
    if (call == null) {
      return;
    }
    JsonNode error = reply.get("error");
    if (error != null && error.isObject()) {
      call.complete(
          new RawReply(
              com.fasterxml.jackson.databind.node.NullNode.getInstance(),
              new ErrorBody(
                  error.path("code").isTextual() ? error.get("code").asText() : "UNKNOWN",
                  error.path("message").isTextual() ? error.get("message").asText() : "",
                  error.path("type").isTextual() ? error.get("type").asText() : null,
                  error.path("declared").isTextual() ? error.get("declared").asText() : null)));
    } else {
      JsonNode result = reply.get("result");
      call.complete(
          new RawReply(
              result == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : result,
              null));
    }
  }

  @Override
  public void close() {
    NotConnectedException closed = new NotConnectedException("the client was closed");
    pending.values().forEach(f -> f.completeExceptionally(closed));
    routes.unsubscribe(link);
  }

  private static final class PingCollector {
    final int expected;
    final Map<String, Long> answers = new LinkedHashMap<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    volatile long start;

    PingCollector(int expected) {
      this.expected = expected;
    }

    synchronized void answered(String instance, long atNanos) {
      if (instance.isEmpty() || answers.containsKey(instance)) {
        return;
      }
      answers.put(instance, atNanos - start);
      if (answers.size() >= expected) {
        done.complete(null);
      }
    }
  }
}
