package io.redisrpc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A service descriptor (docs/PROTOCOL.md) as the command line reads it: endpoints, their
 * parameters, and JSON Schemas shown as short type names such as {@code integer}, {@code
 * array<string>}, {@code FileData} or {@code string(base64)}.
 */
final class DescriptorView {
  private final JsonNode root;

  /** One endpoint of the descriptor. */
  record EndpointView(
      String name,
      List<String> parameterNames,
      List<JsonNode> parameterSchemas,
      JsonNode result,
      boolean idempotent,
      long timeoutMillis,
      List<String> declaredExceptions) {}

  DescriptorView(JsonNode root) {
    this.root = root;
  }

  static DescriptorView parse(String json) {
    return new DescriptorView(CliJson.parse(json, "descriptor"));
  }

  JsonNode json() {
    return root;
  }

  String service() {
    return root.path("service").asText("");
  }

  int protocolVersion() {
    return root.path("protocol_version").asInt(0);
  }

  String library() {
    return root.path("library").asText("");
  }

  boolean signed() {
    return root.path("signed").asBoolean(false);
  }

  List<String> codecs() {
    List<String> out = new ArrayList<>();
    root.path("codecs").forEach(c -> out.add(c.asText()));
    return out;
  }

  List<EndpointView> endpoints() {
    List<EndpointView> out = new ArrayList<>();
    for (JsonNode e : root.path("endpoints")) {
      List<String> names = new ArrayList<>();
      List<JsonNode> schemas = new ArrayList<>();
      for (JsonNode p : e.path("params")) {
        names.add(p.path("name").asText());
        schemas.add(p.path("schema"));
      }
      List<String> declared = new ArrayList<>();
      e.path("throws").forEach(t -> declared.add(t.asText()));
      out.add(
          new EndpointView(
              e.path("name").asText(),
              names,
              schemas,
              e.path("result"),
              e.path("idempotent").asBoolean(false),
              e.path("timeout_ms").asLong(0),
              declared));
    }
    out.sort(java.util.Comparator.comparing(EndpointView::name));
    return out;
  }

  Optional<EndpointView> endpoint(String name) {
    return endpoints().stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /** The named types ({@code $defs}), by name. */
  List<Map.Entry<String, JsonNode>> definitions() {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    root.path("$defs").properties().forEach(out::add);
    return out;
  }

  /** A short name of the type {@code schema} describes. */
  static String typeName(JsonNode schema) {
    if (schema == null || schema.isMissingNode() || schema.isNull()) {
      return "any";
    }
    if (schema.has("$ref")) {
      String ref = schema.get("$ref").asText();
      return ref.substring(ref.lastIndexOf('/') + 1);
    }
    if (schema.has("anyOf")) {
      List<String> names = new ArrayList<>();
      schema.get("anyOf").forEach(s -> names.add(typeName(s)));
      return String.join(" | ", names);
    }
    if (schema.has("enum")) {
      List<String> values = new ArrayList<>();
      schema.get("enum").forEach(v -> values.add(v.toString()));
      return String.join(" | ", values);
    }
    JsonNode type = schema.get("type");
    if (type == null) {
      return "any";
    }
    if (type.isArray()) {
      List<String> names = new ArrayList<>();
      for (JsonNode t : type) {
        com.fasterxml.jackson.databind.node.ObjectNode one = schema.deepCopy();
        one.put("type", t.asText());
        names.add(typeName(one));
      }
      return String.join(" | ", names);
    }
    switch (type.asText()) {
      case "array":
        return (schema.path("uniqueItems").asBoolean(false) ? "set<" : "array<")
            + typeName(schema.get("items"))
            + ">";
      case "object":
        if (schema.has("additionalProperties")) {
          return "map<string, " + typeName(schema.get("additionalProperties")) + ">";
        }
        return "object";
      case "string":
        if (schema.has("contentEncoding")) {
          return "string(" + schema.get("contentEncoding").asText() + ")";
        }
        if (schema.has("format")) {
          return "string(" + schema.get("format").asText() + ")";
        }
        return "string";
      default:
        return type.asText();
    }
  }

  /** Whether {@code schema} admits null. */
  static boolean nullable(JsonNode schema) {
    JsonNode type = schema.get("type");
    if (type != null && type.isArray()) {
      for (JsonNode t : type) {
        if (t.asText().equals("null")) {
          return true;
        }
      }
    }
    if (schema.has("anyOf")) {
      for (JsonNode s : schema.get("anyOf")) {
        if (nullable(s)) {
          return true;
        }
      }
    }
    return type != null && type.asText().equals("null");
  }

  /** {@code name(a: T, b: U) -> R}. */
  static String signature(EndpointView e) {
    StringBuilder b = new StringBuilder(e.name()).append('(');
    for (int i = 0; i < e.parameterNames().size(); i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(e.parameterNames().get(i))
          .append(": ")
          .append(typeName(e.parameterSchemas().get(i)));
    }
    String result = typeName(e.result());
    return b.append(") -> ").append(result.equals("null") ? "void" : result).toString();
  }
}
