package io.redisrpc.internal.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisrpc.Codec;
import io.redisrpc.internal.LibraryVersion;
import io.redisrpc.internal.codec.Mappers;
import io.redisrpc.internal.proxy.MethodModel;
import io.redisrpc.internal.proxy.ServiceModel;
import java.lang.reflect.Type;
import java.util.List;

/**
 * The descriptor a service publishes in {@code rpc:{S}:descriptor}: its endpoints with parameter
 * names, JSON Schemas of parameters and results, codecs and protocol version, as JSON. Made once
 * per server from its interface.
 */
public final class ServiceDescriptor {
  /** The version of the native protocol this library speaks, as descriptors and instances state. */
  public static final int PROTOCOL_VERSION = io.redisrpc.internal.codec.WireCodec.PROTOCOL_VERSION;

  private ServiceDescriptor() {}

  /**
   * The descriptor of {@code model}; {@code signed} says whether its servers accept only messages
   * signed with a shared secret.
   */
  public static String json(ServiceModel model, boolean signed) {
    return json(model, signed, List.of(Codec.JSON.name(), Codec.MSGPACK.name()));
  }

  /**
   * The descriptor of {@code model}; {@code signed} says whether its servers accept only messages
   * signed with a shared secret, {@code codecs} names the codecs they read.
   */
  public static String json(ServiceModel model, boolean signed, List<String> codecs) {
    ObjectMapper json = Mappers.json();
    JsonSchemaGenerator schemas = new JsonSchemaGenerator(json);
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("service", model.name());
    root.put("protocol_version", PROTOCOL_VERSION);
    root.put("partitions", model.partitions());
    root.put("library", "redisrpc-java " + LibraryVersion.get());
    ArrayNode codecNames = root.putArray("codecs");
    codecs.forEach(codecNames::add);
    root.put("signed", signed);
    ArrayNode endpoints = root.putArray("endpoints");
    for (MethodModel method : model.endpoints()) {
      ObjectNode endpoint = endpoints.addObject();
      endpoint.put("name", method.name());
      ArrayNode params = endpoint.putArray("params");
      List<Type> types = method.parameterTypes();
      List<String> names = method.parameterNames();
      for (int i = 0; i < types.size(); i++) {
        ObjectNode param = params.addObject();
        param.put("name", names.get(i));
        param.set("schema", schemas.schema(types.get(i)));
      }
      endpoint.set("result", schemas.schema(method.resultType()));
      if (method.streaming()) {
        // Its result is the schema of each item; absent, the descriptors of older servers match.
        endpoint.put("streaming", true);
      }
      endpoint.put("idempotent", method.idempotent());
      if (method.timeout().isPresent()) {
        endpoint.put("timeout_ms", method.timeout().get().toMillis());
      } else {
        endpoint.putNull("timeout_ms");
      }
      ArrayNode declared = endpoint.putArray("throws");
      for (Class<?> exception : method.declaredExceptions()) {
        declared.add(exception.getName());
      }
    }
    root.set("$defs", schemas.definitions());
    try {
      return json.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the descriptor of " + model.name(), e);
    }
  }

  /**
   * The number of partitions descriptor {@code json} declares: 1 when it declares none, or is not a
   * descriptor.
   */
  public static int partitions(String json) {
    try {
      int n =
          io.redisrpc.internal.codec.ExactJson.MAPPER.readTree(json).path("partitions").asInt(1);
      return n >= 1 && n <= io.redisrpc.internal.transport.RedisKeys.MAX_PARTITIONS ? n : 1;
    } catch (java.io.IOException e) {
      return 1;
    }
  }

  /**
   * Whether descriptor {@code json} says its servers accept only signed requests: false when it
   * does not say so, or is not a descriptor.
   */
  public static boolean signed(String json) {
    try {
      return io.redisrpc.internal.codec.ExactJson.MAPPER.readTree(json).path("signed").asBoolean();
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
