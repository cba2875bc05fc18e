package io.redisrpc.internal.aioredis;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.redisrpc.RpcException;
import io.redisrpc.StatusCode;
import io.redisrpc.internal.codec.MessagePackShape;
import io.redisrpc.internal.proxy.MethodModel;
import io.redisrpc.internal.proxy.ServiceModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Encodes and decodes the messages of aioredis-rpc 1.x for one service. Every message, request or
 * reply, is a MessagePack map with the keys, in this order: {@code id}, {@code reply_to}, {@code
 * name}, {@code args}, {@code kwargs}, {@code result}, {@code error} (docs/AIOREDIS.md).
 */
public final class AioredisCodec {
  /** Python's exception class for a call it cannot bind to the function's parameters. */
  static final String TYPE_ERROR = "TypeError";

  /** The error class of a request for a method the service does not have. */
  static final String NOT_IMPLEMENTED_ERROR = "NotImplementedError";

  private final ServiceModel model;
  private final ObjectMapper mapper;
  private final Map<String, AioredisMethod> byWireName;
  private final Map<MethodModel, AioredisMethod> byModel;

  private AioredisCodec(ServiceModel model, ObjectMapper mapper) {
    this.model = model;
    this.mapper = mapper;
    Map<String, AioredisMethod> names = new LinkedHashMap<>();
    Map<MethodModel, AioredisMethod> models = new HashMap<>();
    for (MethodModel endpoint : model.endpoints()) {
      AioredisMethod method = new AioredisMethod(endpoint, mapper);
      AioredisMethod clash = names.put(method.wireName(), method);
      if (clash != null) {
        throw new IllegalArgumentException(
            "Endpoints "
                + clash.model().qualifiedName()
                + " and "
                + endpoint.qualifiedName()
                + " both have the aioredis-rpc name '"
                + method.wireName()
                + "'; give one a distinct @Endpoint(name = ...)");
      }
      models.put(endpoint, method);
    }
    this.byWireName = Collections.unmodifiableMap(names);
    this.byModel = Collections.unmodifiableMap(models);
  }

  /** The codec of {@code model}'s endpoints. */
  public static AioredisCodec of(ServiceModel model) {
    return new AioredisCodec(model, AioredisMapper.mapper());
  }

  /** The service. */
  public ServiceModel service() {
    return model;
  }

  /** The endpoint behind {@code model}, or null. */
  public @Nullable AioredisMethod method(MethodModel model) {
    return byModel.get(model);
  }

  /** The endpoint called {@code wireName}, or null. */
  public @Nullable AioredisMethod method(String wireName) {
    return byWireName.get(wireName);
  }

  /** All endpoints. */
  public Iterable<AioredisMethod> methods() {
    return byWireName.values();
  }

  // ------------------------------------------------------------------ requests

  /** A request as a server decoded it. */
  public record Request(
      String id,
      @Nullable String replyTo,
      String name,
      @Nullable AioredisMethod method,
      @Nullable Object @Nullable [] arguments,
      @Nullable RemoteError failure) {}

  /**
   * The request of one call: positional arguments in {@code args}, {@code kwargs} empty, {@code
   * result} and {@code error} nil.
   *
   * @throws RpcException with {@link StatusCode#INVALID_ARGUMENT} when an argument cannot be
   *     encoded
   */
  public byte[] encodeRequest(
      String id, String replyTo, AioredisMethod method, @Nullable Object[] arguments) {
    if (arguments.length != method.arity()) {
      throw new IllegalArgumentException(
          method.model().qualifiedName() + " takes " + method.arity() + " argument(s)");
    }
    ByteArrayBuilder out = new ByteArrayBuilder(256);
    try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", id);
      g.writeStringField("reply_to", replyTo);
      g.writeStringField("name", method.wireName());
      g.writeFieldName("args");
      g.writeStartArray();
      for (int i = 0; i < arguments.length; i++) {
        method.argWriter(i).writeValue(g, arguments[i]);
      }
      g.writeEndArray();
      g.writeFieldName("kwargs");
      g.writeStartObject();
      g.writeEndObject();
      g.writeNullField("result");
      g.writeNullField("error");
      g.writeEndObject();
    } catch (JsonProcessingException e) {
      throw new RpcException(
          StatusCode.INVALID_ARGUMENT,
          "Cannot encode the arguments of "
              + method.model().qualifiedName()
              + ": "
              + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes a request. Problems with the method or its arguments come back as {@link
   * Request#failure()}, to be answered; bytes that are no message, or one without an id, throw.
   */
  /** Refuses bytes whose length headers announce more than is there, before a parser allocates. */
  private static void checkShape(byte[] payload) throws BadMessageException {
    if (!MessagePackShape.isWellFormed(payload)) {
      throw new BadMessageException("not one well-formed MessagePack value");
    }
  }

  public Request decodeRequest(byte[] payload) throws BadMessageException {
    String id = null;
    String replyTo = null;
    String name = null;
    TokenBuffer args = null;
    TokenBuffer kwargs = null;
    checkShape(payload);
    try (JsonParser p = mapper.getFactory().createParser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BadMessageException("a message must be a map");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "id":
            id = text(p, field);
            break;
          case "reply_to":
            replyTo = value == JsonToken.VALUE_NULL ? null : text(p, field);
            break;
          case "name":
            name = text(p, field);
            break;
          case "args":
            if (value != JsonToken.START_ARRAY && value != JsonToken.VALUE_NULL) {
              throw new BadMessageException("args must be an array");
            }
            args = value == JsonToken.VALUE_NULL ? null : copyOf(p);
            break;
          case "kwargs":
            if (value != JsonToken.START_OBJECT && value != JsonToken.VALUE_NULL) {
              throw new BadMessageException("kwargs must be a map");
            }
            kwargs = value == JsonToken.VALUE_NULL ? null : copyOf(p);
            break;
          default:
            p.skipChildren();
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new BadMessageException("undecodable message: " + e.getMessage(), e);
    }
    if (id == null) {
      throw new BadMessageException("a message needs an id");
    }
    if (name == null) {
      return new Request(
          id, replyTo, "", null, null, new RemoteError("the request names no method", TYPE_ERROR));
    }
    AioredisMethod method = byWireName.get(name);
    if (method == null) {
      return new Request(
          id,
          replyTo,
          name,
          null,
          null,
          new RemoteError(
              "'" + name + "' is not an endpoint of " + model.name(), NOT_IMPLEMENTED_ERROR));
    }
    try {
      return new Request(id, replyTo, name, method, bind(method, args, kwargs), null);
    } catch (ArgumentException e) {
      return new Request(
          id, replyTo, name, method, null, new RemoteError(e.getMessage(), TYPE_ERROR));
    }
  }

  /** Binds positional then keyword arguments to the parameters, as Python calls a function. */
  private @Nullable Object[] bind(
      AioredisMethod method, @Nullable TokenBuffer args, @Nullable TokenBuffer kwargs)
      throws ArgumentException {
    String call = method.wireName() + "()";
    int arity = method.arity();
    Object[] values = new Object[arity];
    boolean[] bound = new boolean[arity];
    try {
      if (args != null) {
        try (JsonParser p = args.asParser(mapper)) {
          p.nextToken();
          int count = 0;
          while (p.nextToken() != JsonToken.END_ARRAY) {
            if (count < arity) {
              values[count] = read(method, count, p);
              bound[count] = true;
            } else {
              p.skipChildren();
            }
            count++;
          }
          if (count > arity) {
            throw new ArgumentException(
                call + " takes " + arity + " positional argument(s) but " + count + " were given");
          }
        }
      }
      if (kwargs != null) {
        try (JsonParser p = kwargs.asParser(mapper)) {
          p.nextToken();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            Integer i = method.keywordIndex(key);
            if (i == null) {
              throw new ArgumentException(
                  call + " got an unexpected keyword argument '" + key + "'");
            }
            if (bound[i]) {
              throw new ArgumentException(call + " got multiple values for argument '" + key + "'");
            }
            values[i] = read(method, i, p);
            bound[i] = true;
          }
        }
      }
    } catch (IOException e) {
      throw new ArgumentException("Malformed arguments of " + call + ": " + e.getMessage());
    }
    for (int i = 0; i < arity; i++) {
      if (!bound[i]) {
        throw new ArgumentException(
            call + " missing required argument: '" + method.parameterNames().get(i) + "'");
      }
    }
    return values;
  }

  private static @Nullable Object read(AioredisMethod method, int i, JsonParser p)
      throws IOException, ArgumentException {
    try {
      return method.argReader(i).readValue(p);
    } catch (JsonProcessingException e) {
      throw new ArgumentException(
          "Invalid argument '"
              + method.parameterNames().get(i)
              + "' of "
              + method.wireName()
              + "(): "
              + describe(e));
    }
  }

  // ------------------------------------------------------------------ replies

  /** A reply as a client decoded it: a result, an error, or a result that could not be read. */
  public record Reply(
      String id,
      String name,
      @Nullable Object result,
      @Nullable RemoteError error,
      @Nullable String undecodable) {}

  /** A successful reply to request {@code id} of {@code method}. */
  public byte[] encodeResult(String id, AioredisMethod method, @Nullable Object result)
      throws JsonProcessingException {
    ByteArrayBuilder out = new ByteArrayBuilder(128);
    try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
      replyHead(g, id, method.wireName());
      g.writeFieldName("result");
      if (method.model().voidResult()) {
        g.writeNull();
      } else {
        method.resultWriter().writeValue(g, result);
      }
      g.writeNullField("error");
      g.writeEndObject();
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A failed reply to request {@code id} of the method called {@code name}. */
  public byte[] encodeError(String id, String name, RemoteError error) {
    ByteArrayBuilder out = new ByteArrayBuilder(128);
    try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
      replyHead(g, id, name);
      g.writeNullField("result");
      g.writeFieldName("error");
      g.writeStartObject();
      g.writeStringField("msg", error.msg());
      g.writeStringField("error_class", error.errorClass());
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void replyHead(JsonGenerator g, String id, String name) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", id);
    g.writeNullField("reply_to");
    g.writeStringField("name", name);
    g.writeFieldName("args");
    g.writeStartArray();
    g.writeEndArray();
    g.writeFieldName("kwargs");
    g.writeStartObject();
    g.writeEndObject();
  }

  /**
   * Decodes a reply; {@code pending} gives the endpoint waiting for an id, or null when no call
   * waits for it (then the result is skipped and returned as null).
   */
  public Reply decodeReply(byte[] payload, Function<String, @Nullable AioredisMethod> pending)
      throws BadMessageException {
    String id = null;
    String name = "";
    TokenBuffer result = null;
    RemoteError error = null;
    checkShape(payload);
    try (JsonParser p = mapper.getFactory().createParser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BadMessageException("a message must be a map");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "id":
            id = text(p, field);
            break;
          case "name":
            name = value == JsonToken.VALUE_NULL ? "" : text(p, field);
            break;
          case "result":
            result = copyOf(p);
            break;
          case "error":
            error = value == JsonToken.VALUE_NULL ? null : readError(p);
            break;
          default:
            p.skipChildren();
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new BadMessageException("undecodable message: " + e.getMessage(), e);
    }
    if (id == null) {
      throw new BadMessageException("a message needs an id");
    }
    AioredisMethod method = pending.apply(id);
    if (error != null || method == null || method.model().voidResult()) {
      return new Reply(id, name, null, error, null);
    }
    if (result == null) {
      return new Reply(id, name, null, null, "the reply has no result");
    }
    try (JsonParser p = result.asParser(mapper)) {
      p.nextToken();
      return new Reply(id, name, method.resultReader().readValue(p), null, null);
    } catch (JsonProcessingException e) {
      return new Reply(id, name, null, null, describe(e));
    } catch (IOException e) {
      return new Reply(id, name, null, null, e.getMessage());
    }
  }

  private static RemoteError readError(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      String text = p.currentToken().isScalarValue() ? p.getText() : "";
      p.skipChildren();
      return new RemoteError(String.valueOf(text), "");
    }
    String msg = "";
    String errorClass = "";
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (field.equals("msg") && value == JsonToken.VALUE_STRING) {
        msg = p.getText();
      } else if (field.equals("error_class") && value == JsonToken.VALUE_STRING) {
        errorClass = p.getText();
      } else {
        p.skipChildren();
      }
    }
    return new RemoteError(msg, errorClass);
  }

  // ------------------------------------------------------------------ helpers

  /** A copy of the value the parser stands at, embedded objects (bin, ext types) included. */
  private static TokenBuffer copyOf(JsonParser p) throws IOException {
    TokenBuffer buffer = new TokenBuffer(p.getCodec(), false);
    buffer.copyCurrentStructure(p);
    return buffer;
  }

  private static String text(JsonParser p, String field) throws IOException, BadMessageException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw new BadMessageException(field + " must be a string");
    }
    return p.getText();
  }

  private static String describe(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    if (e instanceof JsonMappingException) {
      String path = ((JsonMappingException) e).getPathReference();
      if (path != null && !path.isEmpty()) {
        message += " (at " + path + ")";
      }
    }
    return message;
  }

  /** Arguments that do not bind to the parameters; answered with a TypeError. */
  private static final class ArgumentException extends Exception {
    private static final long serialVersionUID = 1L;

    ArgumentException(String message) {
      super(message, null, false, false);
    }
  }
}
