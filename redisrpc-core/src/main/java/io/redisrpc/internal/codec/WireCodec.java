package io.redisrpc.internal.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.redisrpc.Codec;
import io.redisrpc.Metadata;
import io.redisrpc.RpcException;
import io.redisrpc.StatusCode;
import io.redisrpc.ValueCodec;
import io.redisrpc.internal.proxy.MethodModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * Encodes and decodes the messages of the native protocol (docs/PROTOCOL.md) with one Jackson
 * format, streaming: arguments and results are read straight into their declared types.
 */
public final class WireCodec {
  /**
   * The version of the native protocol this implementation speaks, written into every request as
   * {@code v}; a request without {@code v} is version 1.
   */
  public static final int PROTOCOL_VERSION = 5;

  /** The version of requests without an idempotency key, which every version 3 server reads. */
  public static final int REQUEST_VERSION = 3;

  /**
   * The version of requests with an idempotency key: servers of version 3 ignore the key, so they
   * must refuse such requests rather than run them.
   */
  public static final int IDEMPOTENCY_VERSION = 4;

  /**
   * The version of streaming requests (they carry {@code credits}): a server of version 4 would
   * answer with one reply, so it must refuse them instead.
   */
  public static final int STREAMING_VERSION = 5;

  /**
   * How often a server tells the caller of a stream that it still serves it, when it sent it
   * nothing else meanwhile.
   */
  public static final long KEEPALIVE_MILLIS = 1_000;

  /**
   * How long the caller of a stream waits without a message from its server before it takes the
   * server for gone: five keep-alives, for a server or a Redis that is only slow.
   */
  public static final long STREAM_SILENCE_MILLIS = 5 * KEEPALIVE_MILLIS;

  /** The first version whose clients read several replies in one message. */
  public static final int BATCHED_REPLIES_VERSION = 3;

  private static final Pattern NAME = Pattern.compile("[a-z0-9._+-]{1,32}");
  private static final WireCodec JSON = new WireCodec(Codec.JSON);
  private static final WireCodec MSGPACK = new WireCodec(Codec.MSGPACK);

  private final Codec codec;
  private final JsonFactory format;
  private final boolean messagePack;
  private final byte[] nameBytes;

  private WireCodec(Codec codec) {
    this.codec = codec;
    this.format = Objects.requireNonNull(codec.format(), "format() of codec " + codec.name());
    this.messagePack = format instanceof MessagePackFactory;
    this.nameBytes = codec.name().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * The wire side of {@code codec}, shared for the built-in ones.
   *
   * @throws IllegalArgumentException when the codec's name is not a valid codec name
   */
  public static WireCodec of(Codec codec) {
    Objects.requireNonNull(codec, "codec == null");
    if (codec == Codec.JSON) {
      return JSON;
    }
    if (codec == Codec.MSGPACK) {
      return MSGPACK;
    }
    String name = codec.name();
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Invalid codec name '"
              + name
              + "' of "
              + codec.getClass().getName()
              + ": use 1 to 32 lowercase letters, digits, '.', '_', '+' or '-'");
    }
    return new WireCodec(codec);
  }

  /** The public codec this implements. */
  public Codec codec() {
    return codec;
  }

  /** The codec's name as the {@code codec} field of a stream entry carries it. */
  public byte[] nameBytes() {
    return nameBytes;
  }

  /** The Jackson format of the messages. */
  public JsonFactory format() {
    return format;
  }

  /**
   * Readers and writers for {@code model}, or null when this codec does not encode its parameter or
   * result types.
   */
  public @Nullable MethodCodec methodCodec(MethodModel model) {
    return MethodCodec.of(model, this);
  }

  // ---------------------------------------------------------------- requests

  /**
   * The request message of one call; {@code sentAtMillis} (the caller's estimate of Redis' clock,
   * for signed requests) is left out when negative. A {@code oneWay} request asks for no reply. The
   * call opens a stream when {@code credits} (the items its caller grants at first) is positive.
   */
  public byte[] encodeRequest(
      String id,
      String replyTo,
      MethodCodec method,
      long timeoutMillis,
      long sentAtMillis,
      Metadata headers,
      @Nullable String idempotencyKey,
      boolean oneWay,
      long credits,
      @Nullable Object[] arguments) {
    ByteArrayBuilder out = new ByteArrayBuilder(256);
    try (JsonGenerator g = format.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField(
          "v",
          credits > 0
              ? STREAMING_VERSION
              : idempotencyKey == null ? REQUEST_VERSION : IDEMPOTENCY_VERSION);
      g.writeStringField("id", id);
      g.writeStringField("reply_to", replyTo);
      g.writeStringField("method", method.model.name());
      g.writeNumberField("timeout_ms", timeoutMillis);
      if (sentAtMillis >= 0) {
        g.writeNumberField("sent_at_ms", sentAtMillis);
      }
      if (!headers.isEmpty()) {
        g.writeFieldName("headers");
        g.writeStartObject();
        for (Map.Entry<String, String> e : headers.asMap().entrySet()) {
          g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
      }
      if (idempotencyKey != null) {
        g.writeStringField("idempotency_key", idempotencyKey);
      }
      if (oneWay) {
        // Before args: a server that stops reading at a bad argument still knows not to reply.
        g.writeBooleanField("one_way", true);
      }
      if (credits > 0) {
        g.writeNumberField("credits", credits);
      }
      g.writeFieldName("args");
      g.writeStartArray();
      for (int i = 0; i < arguments.length; i++) {
        method.args[i].write(g, arguments[i]);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException | RuntimeException e) {
      // Jackson's own failures, or those of a codec of the user's.
      throw new RpcException(
          StatusCode.INVALID_ARGUMENT,
          "Cannot encode the arguments of " + method.model.qualifiedName() + ": " + describe(e),
          e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes a request, resolving its method with {@code endpoints}. Problems with the method or the
   * arguments come back as {@link IncomingRequest#failure()}; a message without an id or reply
   * address throws, since nobody can be told.
   */
  public IncomingRequest decodeRequest(
      byte[] payload, Function<String, @Nullable MethodCodec> endpoints)
      throws MalformedMessageException {
    String id = null;
    String replyTo = null;
    String method = null;
    long timeout = 0;
    long version = 1;
    long sentAt = -1;
    String idempotencyKey = null;
    boolean oneWay = false;
    long credits = 0;
    Metadata headers = Metadata.empty();
    MethodCodec codec = null;
    Object[] args = null;
    RpcException failure = null;
    TokenBuffer earlyArgs = null;
    checkShape(payload);
    try (JsonParser p = format.createParser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedMessageException("a request must be a map");
      }
      fields:
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "id":
            id = text(p, field);
            break;
          case "reply_to":
            replyTo = text(p, field);
            break;
          case "method":
            method = text(p, field);
            codec = endpoints.apply(method);
            if (codec == null) {
              failure = unknownMethod(method);
            } else if (codec.refusal != null) {
              failure = new RpcException(StatusCode.INVALID_ARGUMENT, codec.refusal);
              codec = null;
            } else if (earlyArgs != null) {
              try (JsonParser buffered = earlyArgs.asParser(p.getCodec())) {
                buffered.nextToken();
                args = readArguments(buffered, codec);
              } catch (RpcException e) {
                failure = e;
              }
            }
            break;
          case "timeout_ms":
            timeout = integer(p, field);
            break;
          case "v":
            version = integer(p, field);
            break;
          case "sent_at_ms":
            sentAt = integer(p, field);
            break;
          case "headers":
            headers = readHeaders(p);
            break;
          case "idempotency_key":
            idempotencyKey = text(p, field);
            break;
          case "one_way":
            oneWay = bool(p, field);
            break;
          case "credits":
            credits = integer(p, field);
            break;
          case "args":
            if (value != JsonToken.START_ARRAY) {
              throw new MalformedMessageException("args must be an array");
            }
            if (method == null) {
              earlyArgs = TokenBuffer.asCopyOfValue(p);
            } else if (codec == null) {
              p.skipChildren();
            } else {
              try {
                args = readArguments(p, codec);
              } catch (RpcException e) {
                // The parser may stand anywhere inside the failed argument: stop reading here.
                failure = e;
                break fields;
              }
            }
            break;
          default:
            p.skipChildren();
        }
      }
    } catch (IOException | RuntimeException e) {
      if (id == null || replyTo == null) {
        throw new MalformedMessageException("undecodable request: " + e.getMessage(), e);
      }
      failure =
          new RpcException(StatusCode.INVALID_ARGUMENT, "Malformed request: " + e.getMessage());
    }
    if (id == null || replyTo == null) {
      throw new MalformedMessageException("a request needs id and reply_to");
    }
    if (failure == null) {
      if (method == null) {
        failure =
            new RpcException(StatusCode.INVALID_ARGUMENT, "Request " + id + " names no method");
      } else if (args == null) {
        failure =
            new RpcException(
                StatusCode.INVALID_ARGUMENT,
                "Request " + id + " for " + codec.model.qualifiedName() + " has no args");
      }
    }
    return new IncomingRequest(
        id,
        replyTo,
        method == null ? "" : method,
        timeout,
        version,
        sentAt,
        headers,
        idempotencyKey,
        oneWay,
        codec,
        args,
        failure,
        credits);
  }

  /**
   * The {@code id} and {@code reply_to} of a request, read without decoding the rest: for answering
   * a request the server refuses to decode whole (one over the size limit). Null when either is
   * missing or the message is not a well-formed map.
   */
  public @Nullable ReplyAddress decodeAddress(byte[] payload) {
    String id = null;
    String replyTo = null;
    try {
      checkShape(payload);
      try (JsonParser p = format.createParser(payload)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          return null;
        }
        while ((id == null || replyTo == null) && p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          p.nextToken();
          if (field.equals("id")) {
            id = text(p, field);
          } else if (field.equals("reply_to")) {
            replyTo = text(p, field);
          } else {
            p.skipChildren();
          }
        }
      }
    } catch (IOException | MalformedMessageException | RuntimeException e) {
      return null;
    }
    return id == null || replyTo == null ? null : new ReplyAddress(id, replyTo);
  }

  /** Where the reply to a request goes: its call id and reply channel. */
  public record ReplyAddress(String id, String replyTo) {}

  private static long integer(JsonParser p, String field)
      throws IOException, MalformedMessageException {
    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
      throw new MalformedMessageException(field + " must be an integer");
    }
    return p.getLongValue();
  }

  private static boolean bool(JsonParser p, String field) throws MalformedMessageException {
    JsonToken token = p.currentToken();
    if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
      throw new MalformedMessageException(field + " must be a boolean");
    }
    return token == JsonToken.VALUE_TRUE;
  }

  private void checkShape(byte[] payload) throws MalformedMessageException {
    if (messagePack && !MessagePackShape.isWellFormed(payload)) {
      throw new MalformedMessageException("not one well-formed MessagePack value");
    }
  }

  private static RpcException unknownMethod(String method) {
    return new RpcException(StatusCode.UNIMPLEMENTED, "Unknown method '" + method + "'");
  }

  /** Reads the argument array the parser stands at the start of. */
  private static Object[] readArguments(JsonParser p, MethodCodec codec) throws IOException {
    MethodModel model = codec.model;
    int expected = codec.args.length;
    Object[] args = new Object[expected];
    int count = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (count < expected) {
        try {
          args[count] = codec.args[count].read(p);
        } catch (IOException | RuntimeException e) {
          throw new RpcException(
              StatusCode.INVALID_ARGUMENT,
              "Invalid argument '"
                  + model.parameterNames().get(count)
                  + "' of "
                  + model.qualifiedName()
                  + ": "
                  + describe(e));
        }
      } else {
        p.skipChildren();
      }
      count++;
    }
    if (count != expected) {
      throw new RpcException(
          StatusCode.INVALID_ARGUMENT,
          model.qualifiedName() + " takes " + expected + " argument(s), got " + count);
    }
    return args;
  }

  private static String describe(Exception failure) {
    if (!(failure instanceof JsonProcessingException)) {
      return String.valueOf(failure.getMessage());
    }
    JsonProcessingException e = (JsonProcessingException) failure;
    String message = e.getOriginalMessage();
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException) {
      String path = ((com.fasterxml.jackson.databind.JsonMappingException) e).getPathReference();
      if (path != null && !path.isEmpty()) {
        message += " (at " + path + ")";
      }
    }
    return message;
  }

  private static Metadata readHeaders(JsonParser p) throws IOException, MalformedMessageException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return Metadata.empty();
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new MalformedMessageException("headers must be a map");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      p.nextToken();
      String value = text(p, "header " + key);
      if (!key.isEmpty()) {
        headers.put(key, value);
      }
    }
    return Metadata.of(headers);
  }

  private static String text(JsonParser p, String field)
      throws IOException, MalformedMessageException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw new MalformedMessageException(field + " must be a string");
    }
    return p.getText();
  }

  // ---------------------------------------------------------------- replies

  /** A successful reply carrying {@code result}. */
  public byte[] encodeResult(String id, MethodCodec method, @Nullable Object result)
      throws IOException {
    return encodeResult(id, -1, method, result);
  }

  /** Item {@code seq} (from 0) of the stream of call {@code id}. */
  public byte[] encodeStreamItem(String id, long seq, MethodCodec method, @Nullable Object item)
      throws IOException {
    return encodeResult(id, seq, method, item);
  }

  /** A result, or the stream's item {@code seq} when not negative. */
  private byte[] encodeResult(String id, long seq, MethodCodec method, @Nullable Object result)
      throws IOException {
    ByteArrayBuilder out = new ByteArrayBuilder(128);
    try (JsonGenerator g = format.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", id);
      if (seq >= 0) {
        g.writeNumberField("seq", seq);
      }
      g.writeFieldName("result");
      ValueCodec<Object> writer = method.result;
      if (writer == null) {
        g.writeNull();
      } else {
        writer.write(g, result);
      }
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  /** The end of the stream of call {@code id}, after its {@code seq} items. */
  public byte[] encodeStreamEnd(String id, long seq) {
    return encodeFlag(id, seq, "end");
  }

  /** The stream of call {@code id} is alive: its server still serves it. */
  public byte[] encodeKeepAlive(String id) {
    return encodeFlag(id, -1, "keepalive");
  }

  /** {@code {id, seq, flag: true}}, without {@code seq} when negative. */
  private byte[] encodeFlag(String id, long seq, String flag) {
    ByteArrayBuilder out = new ByteArrayBuilder(64);
    try (JsonGenerator g = format.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", id);
      if (seq >= 0) {
        g.writeNumberField("seq", seq);
      }
      g.writeBooleanField(flag, true);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A failed reply. */
  public byte[] encodeError(String id, ErrorBody error) {
    return encodeError(id, -1, error);
  }

  /** A failed reply; the error ending a stream after its {@code seq} items when not negative. */
  public byte[] encodeError(String id, long seq, ErrorBody error) {
    ByteArrayBuilder out = new ByteArrayBuilder(128);
    try (JsonGenerator g = format.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", id);
      if (seq >= 0) {
        g.writeNumberField("seq", seq);
      }
      g.writeFieldName("error");
      g.writeStartObject();
      g.writeStringField("code", error.code());
      g.writeStringField("message", error.message());
      if (error.type() != null) {
        g.writeStringField("type", error.type());
      }
      if (error.declared() != null) {
        g.writeStringField("declared", error.declared());
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes a reply; {@code pending} gives the endpoint waiting for an id, or null when no call
   * waits for it (then the result is skipped, and the reply returned with a null result).
   */
  public IncomingReply decodeReply(byte[] payload, Function<String, @Nullable MethodCodec> pending)
      throws MalformedMessageException {
    String id = null;
    Object result = null;
    ErrorBody error = null;
    long seq = -1;
    boolean end = false;
    boolean keepAlive = false;
    TokenBuffer earlyResult = null;
    checkShape(payload);
    try (JsonParser p = format.createParser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedMessageException("a reply must be a map");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "id":
            id = text(p, field);
            if (earlyResult != null) {
              MethodCodec method = pending.apply(id);
              if (method != null) {
                try (JsonParser buffered = earlyResult.asParser(p.getCodec())) {
                  buffered.nextToken();
                  result = readResult(buffered, method);
                }
              }
            }
            break;
          case "result":
            if (id == null) {
              earlyResult = TokenBuffer.asCopyOfValue(p);
            } else {
              MethodCodec method = pending.apply(id);
              if (method == null) {
                p.skipChildren();
              } else {
                result = readResult(p, method);
              }
            }
            break;
          case "error":
            error = readError(p);
            break;
          case "seq":
            seq = integer(p, field);
            if (seq < 0) {
              throw new MalformedMessageException("seq must not be negative");
            }
            break;
          case "end":
            end = p.currentToken() == JsonToken.VALUE_TRUE;
            break;
          case "keepalive":
            keepAlive = p.currentToken() == JsonToken.VALUE_TRUE;
            break;
          default:
            p.skipChildren();
        }
      }
    } catch (IOException | RuntimeException e) {
      if (id == null) {
        throw new MalformedMessageException("undecodable reply: " + e.getMessage(), e);
      }
      MethodCodec method = pending.apply(id);
      String where = method == null ? "" : " of " + method.model.qualifiedName();
      error =
          new ErrorBody(
              StatusCode.INTERNAL.name(),
              "Cannot decode the result" + where + ": " + e.getMessage(),
              null,
              null);
    }
    if (id == null) {
      throw new MalformedMessageException("a reply needs an id");
    }
    return new IncomingReply(id, result, error, seq, end, keepAlive);
  }

  private static @Nullable Object readResult(JsonParser p, MethodCodec method) throws IOException {
    ValueCodec<Object> reader = method.result;
    if (reader == null) {
      p.skipChildren();
      return null;
    }
    return reader.read(p);
  }

  private static @Nullable ErrorBody readError(JsonParser p)
      throws IOException, MalformedMessageException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new MalformedMessageException("error must be a map");
    }
    String code = StatusCode.UNKNOWN.name();
    String message = "";
    String type = null;
    String declared = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken token = p.nextToken();
      if (token != JsonToken.VALUE_STRING) {
        p.skipChildren();
        continue;
      }
      switch (field) {
        case "code":
          code = p.getText();
          break;
        case "message":
          message = p.getText();
          break;
        case "type":
          type = p.getText();
          break;
        case "declared":
          declared = p.getText();
          break;
        default:
          break;
      }
    }
    return new ErrorBody(code, message, type, declared);
  }
}
