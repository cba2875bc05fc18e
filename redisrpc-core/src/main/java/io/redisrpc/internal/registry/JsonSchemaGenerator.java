package io.redisrpc.internal.registry;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializerBase;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * JSON Schemas (draft 2020-12) of Java types as a Jackson mapper writes them in JSON: records and
 * POJOs as objects of their Jackson properties, primitives and their boxes, {@code String}, {@code
 * byte[]} as a Base64 string, {@code java.time} types as ISO-8601 strings, {@code UUID}, enums,
 * {@code BigDecimal}/{@code BigInteger}, {@code Optional} as the value or null, lists, sets and
 * arrays, and maps as objects.
 *
 * <p>Records and POJOs are defined once under {@link #definitions()} and referenced as {@code
 * {"$ref": "#/$defs/Name"}}, so recursive types have finite schemas. One generator collects the
 * definitions of every schema it made; not thread-safe.
 */
public final class JsonSchemaGenerator {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ObjectMapper mapper;
  private final ObjectNode definitions = NODES.objectNode();
  private final Map<JavaType, String> names = new HashMap<>();
  private final Set<String> taken = new HashSet<>();

  /** A generator for the JSON written by {@code mapper}. */
  public JsonSchemaGenerator(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The schema of values of {@code type}, as the mapper's type factory resolves it. */
  public ObjectNode schema(Type type) {
    return schema(mapper.getTypeFactory().constructType(type));
  }

  /** The schema of values of {@code type}. */
  public ObjectNode schema(JavaType type) {
    Class<?> raw = type.getRawClass();
    ObjectNode scalar = scalar(raw);
    if (scalar != null) {
      return scalar;
    }
    if (type.isReferenceType()) {
      // Optional<T> (also AtomicReference<T>): the value itself, or null when empty.
      return nullable(schema(type.getReferencedType()));
    }
    if (raw.isEnum()) {
      return enumeration(raw);
    }
    if (type.isArrayType() || type.isCollectionLikeType()) {
      ObjectNode array = typed("array");
      array.set("items", schema(type.getContentType()));
      if (Set.class.isAssignableFrom(raw)) {
        array.put("uniqueItems", true);
      }
      return array;
    }
    if (type.isMapLikeType()) {
      ObjectNode object = typed("object");
      JavaType key = type.getKeyType();
      if (key != null && key.getRawClass().isEnum()) {
        object.set("propertyNames", enumeration(key.getRawClass()));
      }
      object.set("additionalProperties", schema(type.getContentType()));
      return object;
    }
    if (raw == Object.class || JsonNode.class.isAssignableFrom(raw)) {
      return NODES.objectNode();
    }
    return bean(type);
  }

  /** The definitions of the records and POJOs met so far, by name: the {@code $defs} to ship. */
  public ObjectNode definitions() {
    return definitions.deepCopy();
  }

  private static @Nullable ObjectNode scalar(Class<?> raw) {
    if (raw == void.class || raw == Void.class) {
      return typed("null");
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return typed("boolean");
    }
    if (raw == int.class || raw == Integer.class) {
      return typed("integer").put("format", "int32");
    }
    if (raw == long.class || raw == Long.class) {
      return typed("integer").put("format", "int64");
    }
    if (raw == short.class || raw == Short.class) {
      return typed("integer").put("minimum", Short.MIN_VALUE).put("maximum", Short.MAX_VALUE);
    }
    if (raw == byte.class || raw == Byte.class) {
      return typed("integer").put("minimum", Byte.MIN_VALUE).put("maximum", Byte.MAX_VALUE);
    }
    if (raw == float.class || raw == Float.class) {
      return typed("number").put("format", "float");
    }
    if (raw == double.class || raw == Double.class) {
      return typed("number").put("format", "double");
    }
    if (raw == BigDecimal.class || raw == Number.class) {
      return typed("number");
    }
    if (raw == BigInteger.class) {
      return typed("integer");
    }
    if (raw == char.class || raw == Character.class) {
      return typed("string").put("minLength", 1).put("maxLength", 1);
    }
    if (raw == String.class || raw == CharSequence.class) {
      return typed("string");
    }
    if (raw == byte[].class) {
      return typed("string").put("contentEncoding", "base64");
    }
    if (raw == UUID.class) {
      return typed("string").put("format", "uuid");
    }
    if (raw == Instant.class || raw == OffsetDateTime.class || raw == ZonedDateTime.class) {
      return typed("string").put("format", "date-time");
    }
    if (raw == LocalDateTime.class) {
      // ISO-8601 without an offset, e.g. 2024-05-01T12:30:00; "date-time" requires one.
      return typed("string").put("format", "local-date-time");
    }
    if (raw == LocalDate.class) {
      return typed("string").put("format", "date");
    }
    if (raw == LocalTime.class || raw == OffsetTime.class) {
      return typed("string").put("format", "time");
    }
    if (raw == Duration.class || raw == Period.class) {
      return typed("string").put("format", "duration");
    }
    if (raw == YearMonth.class || ZoneId.class.isAssignableFrom(raw)) {
      return typed("string");
    }
    if (raw == URI.class || raw == URL.class) {
      return typed("string").put("format", "uri");
    }
    if (raw == OptionalInt.class) {
      return nullable(typed("integer").put("format", "int32"));
    }
    if (raw == OptionalLong.class) {
      return nullable(typed("integer").put("format", "int64"));
    }
    if (raw == OptionalDouble.class) {
      return nullable(typed("number").put("format", "double"));
    }
    return null;
  }

  private ObjectNode enumeration(Class<?> raw) {
    ObjectNode schema = typed("string");
    ArrayNode values = schema.putArray("enum");
    for (Object constant : raw.getEnumConstants()) {
      String name;
      try {
        name = mapper.convertValue(constant, String.class);
      } catch (IllegalArgumentException e) {
        name = ((Enum<?>) constant).name();
      }
      values.add(name);
    }
    return schema;
  }

  /** A record or POJO: defined once, referenced everywhere. */
  private ObjectNode bean(JavaType type) {
    String name = names.get(type);
    if (name == null) {
      BeanDescription description = mapper.getSerializationConfig().introspect(type);
      AnnotatedMember jsonValue = description.findJsonValueAccessor();
      if (jsonValue != null) {
        // @JsonValue: written as that member's value.
        return schema(jsonValue.getType());
      }
      java.util.List<BeanPropertyDefinition> properties = description.findProperties();
      if (properties.isEmpty()) {
        return opaque(type);
      }
      name = definitionName(type);
      names.put(type, name);
      ObjectNode definition = typed("object");
      // Registered before its properties, so that a recursive reference finds it.
      definitions.set(name, definition);
      ObjectNode props = definition.putObject("properties");
      ArrayNode required = NODES.arrayNode();
      for (BeanPropertyDefinition property : properties) {
        if (!property.couldSerialize()) {
          continue;
        }
        JavaType propertyType = property.getPrimaryType();
        props.set(property.getName(), schema(propertyType));
        if (type.getRawClass().isRecord() && propertyType.isPrimitive()) {
          // A record's primitive component may not be missing or null.
          required.add(property.getName());
        }
      }
      if (!required.isEmpty()) {
        definition.set("required", required);
      }
    }
    return NODES.objectNode().put("$ref", "#/$defs/" + name);
  }

  /** A type without properties: a string when Jackson writes it with toString(), else anything. */
  private ObjectNode opaque(JavaType type) {
    try {
      JsonSerializer<Object> serializer =
          mapper.getSerializerProviderInstance().findValueSerializer(type);
      if (serializer instanceof ToStringSerializerBase) {
        return typed("string");
      }
    } catch (com.fasterxml.jackson.databind.JsonMappingException | RuntimeException e) {
      // fall through: described, not constrained
    }
    return NODES.objectNode().put("description", "Java type " + type.toCanonical());
  }

  private String definitionName(JavaType type) {
    StringBuilder b = new StringBuilder(type.getRawClass().getSimpleName());
    for (int i = 0; i < type.getBindings().size(); i++) {
      b.append("Of").append(simpleName(type.getBindings().getBoundType(i)));
    }
    String name = b.toString();
    if (taken.add(name)) {
      return name;
    }
    // Two types with one simple name: the later ones get their full name.
    String full =
        type.getRawClass().getName() + name.substring(type.getRawClass().getSimpleName().length());
    String unique = full;
    for (int n = 2; !taken.add(unique); n++) {
      unique = full + n;
    }
    return unique;
  }

  private static String simpleName(JavaType type) {
    StringBuilder b = new StringBuilder(type.getRawClass().getSimpleName().replace("[]", "Array"));
    for (int i = 0; i < type.getBindings().size(); i++) {
      b.append("Of").append(simpleName(type.getBindings().getBoundType(i)));
    }
    return b.toString();
  }

  private static ObjectNode typed(String type) {
    return NODES.objectNode().put("type", type);
  }

  /** {@code schema} or null. */
  private static ObjectNode nullable(ObjectNode schema) {
    JsonNode type = schema.get("type");
    if (type != null && type.isTextual()) {
      ObjectNode copy = schema.deepCopy();
      copy.putArray("type").add(type.asText()).add("null");
      return copy;
    }
    ObjectNode anyOf = NODES.objectNode();
    anyOf.putArray("anyOf").add(schema).add(typed("null"));
    return anyOf;
  }
}
