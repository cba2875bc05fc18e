package io.redisrpc.internal.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.redisrpc.Codec;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a stored request payload says about its call, read without the service's Java types, for
 * people looking at it (the dead letters): the call's id, reply channel, method, timeout, whether
 * it was signed ({@code sent_at_ms}, which only clients with a shared secret send), its headers,
 * and its arguments as JSON text. Lenient: a field of the wrong type is left out; a payload that
 * does not decode at all gives only {@link #problem()}.
 *
 * @param callId the request's {@code id}
 * @param replyTo its {@code reply_to}
 * @param method its {@code method}
 * @param timeoutMillis its {@code timeout_ms}
 * @param sentAtMillis its {@code sent_at_ms}: present only in signed requests
 * @param headers its {@code headers}, string values only
 * @param argumentsJson its {@code args} as compact JSON; {@code byte[]} sent in MessagePack as
 *     Base64 strings, as the JSON codec writes them
 * @param problem why the payload could not be decoded; null when it could
 */
public record RequestSummary(
    @Nullable String callId,
    @Nullable String replyTo,
    @Nullable String method,
    @Nullable Long timeoutMillis,
    @Nullable Long sentAtMillis,
    Map<String, String> headers,
    @Nullable String argumentsJson,
    @Nullable String problem) {

  /** Copies {@code headers}. */
  public RequestSummary {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** {@code payload}, encoded with the codec named {@code codec}, read leniently. */
  public static RequestSummary read(@Nullable String codec, byte @Nullable [] payload) {
    if (payload == null) {
      return failed("no payload");
    }
    JsonNode root;
    try {
      if (Codec.JSON.name().equals(codec)) {
        root = ExactJson.MAPPER.readTree(payload);
      } else if (Codec.MSGPACK.name().equals(codec)) {
        if (!MessagePackShape.isWellFormed(payload)) {
          return failed("not one well-formed MessagePack value");
        }
        root = MessagePackReader.MAPPER.readTree(payload);
      } else {
        return failed(codec == null ? "no codec" : "unknown codec '" + codec + "'");
      }
    } catch (JsonProcessingException e) {
      return failed("not " + codec + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      return failed("not " + codec + ": " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      return failed("not a map");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    root.path("headers")
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isTextual()) {
                headers.put(e.getKey(), e.getValue().textValue());
              }
            });
    JsonNode args = root.get("args");
    String argumentsJson;
    try {
      argumentsJson =
          args == null || !args.isArray() ? null : ExactJson.MAPPER.writeValueAsString(args);
    } catch (JsonProcessingException e) {
      argumentsJson = null;
    }
    return new RequestSummary(
        text(root, "id"),
        text(root, "reply_to"),
        text(root, "method"),
        integer(root, "timeout_ms"),
        integer(root, "sent_at_ms"),
        headers,
        argumentsJson,
        null);
  }

  private static RequestSummary failed(String problem) {
    return new RequestSummary(null, null, null, null, null, Map.of(), null, problem);
  }

  private static @Nullable String text(JsonNode root, String field) {
    JsonNode node = root.get(field);
    return node != null && node.isTextual() ? node.textValue() : null;
  }

  private static @Nullable Long integer(JsonNode root, String field) {
    JsonNode node = root.get(field);
    return node != null && node.isIntegralNumber() && node.canConvertToLong()
        ? node.longValue()
        : null;
  }

  /** Reads any MessagePack request, without the service's types. */
  private static final class MessagePackReader {
    static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = Mappers.msgpack();
  }
}
