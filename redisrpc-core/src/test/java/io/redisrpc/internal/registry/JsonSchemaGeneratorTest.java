package io.redisrpc.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisrpc.JsonCodec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Schemas of the types of docs/PROTOCOL.md section 8, as the JSON codec writes them. */
class JsonSchemaGeneratorTest {
  private final ObjectMapper json = JsonCodec.defaultMapper();
  private final JsonSchemaGenerator generator = new JsonSchemaGenerator(json);

  enum Color {
    RED,
    @JsonProperty("verde")
    GREEN
  }

  record FileData(String name, byte[] data) {}

  record Everything(
      int count,
      long big,
      boolean flag,
      double ratio,
      Integer boxed,
      String text,
      byte[] blob,
      Instant at,
      OffsetDateTime offset,
      LocalDate day,
      LocalDateTime local,
      Duration took,
      UUID id,
      Color color,
      BigDecimal amount,
      BigInteger huge,
      Optional<String> maybe,
      List<FileData> files,
      Set<String> tags,
      int[] numbers,
      Map<String, Integer> sizes,
      Map<Color, String> byColor) {}

  /** A POJO with a getter and a setter. */
  public static final class Pojo {
    private String label = "";

    public String getLabel() {
      return label;
    }

    public void setLabel(String label) {
      this.label = label;
    }
  }

  record Tree(String name, List<Tree> children) {}

  @Test
  void scalarsAsTheJsonCodecWritesThem() {
    assertThat(schema(int.class)).isEqualTo(parse("{\"type\":\"integer\",\"format\":\"int32\"}"));
    assertThat(schema(Long.class)).isEqualTo(parse("{\"type\":\"integer\",\"format\":\"int64\"}"));
    assertThat(schema(boolean.class)).isEqualTo(parse("{\"type\":\"boolean\"}"));
    assertThat(schema(String.class)).isEqualTo(parse("{\"type\":\"string\"}"));
    assertThat(schema(byte[].class))
        .isEqualTo(parse("{\"type\":\"string\",\"contentEncoding\":\"base64\"}"));
    assertThat(schema(Instant.class))
        .isEqualTo(parse("{\"type\":\"string\",\"format\":\"date-time\"}"));
    assertThat(schema(LocalDate.class))
        .isEqualTo(parse("{\"type\":\"string\",\"format\":\"date\"}"));
    assertThat(schema(UUID.class)).isEqualTo(parse("{\"type\":\"string\",\"format\":\"uuid\"}"));
    assertThat(schema(BigDecimal.class)).isEqualTo(parse("{\"type\":\"number\"}"));
    assertThat(schema(Void.class)).isEqualTo(parse("{\"type\":\"null\"}"));
    assertThat(schema(Color.class))
        .as("enum constants by their Jackson names")
        .isEqualTo(parse("{\"type\":\"string\",\"enum\":[\"RED\",\"verde\"]}"));
  }

  @Test
  void containersOptionalAndMaps() {
    assertThat(schema(new TypeReference<List<String>>() {}))
        .isEqualTo(parse("{\"type\":\"array\",\"items\":{\"type\":\"string\"}}"));
    assertThat(schema(new TypeReference<Set<Long>>() {}))
        .isEqualTo(
            parse(
                "{\"type\":\"array\",\"items\":{\"type\":\"integer\",\"format\":\"int64\"},"
                    + "\"uniqueItems\":true}"));
    assertThat(schema(String[].class))
        .isEqualTo(parse("{\"type\":\"array\",\"items\":{\"type\":\"string\"}}"));
    assertThat(schema(new TypeReference<Optional<String>>() {}))
        .isEqualTo(parse("{\"type\":[\"string\",\"null\"]}"));
    assertThat(schema(new TypeReference<Map<String, Double>>() {}))
        .isEqualTo(
            parse(
                "{\"type\":\"object\",\"additionalProperties\":"
                    + "{\"type\":\"number\",\"format\":\"double\"}}"));
  }

  @Test
  void recordsAreDefinedOnceAndReferenced() {
    assertThat(schema(FileData.class)).isEqualTo(parse("{\"$ref\":\"#/$defs/FileData\"}"));
    assertThat(schema(new TypeReference<List<FileData>>() {}))
        .isEqualTo(parse("{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/FileData\"}}"));
    assertThat(generator.definitions())
        .isEqualTo(
            parse(
                "{\"FileData\":{\"type\":\"object\",\"properties\":{"
                    + "\"name\":{\"type\":\"string\"},"
                    + "\"data\":{\"type\":\"string\",\"contentEncoding\":\"base64\"}}}}"));
  }

  @Test
  void everyPropertyOfARecordWithPrimitivesRequired() {
    schema(Everything.class);
    JsonNode everything = generator.definitions().get("Everything");
    JsonNode properties = everything.get("properties");
    assertThat(properties.get("count").get("type").asText()).isEqualTo("integer");
    assertThat(properties.get("blob").get("contentEncoding").asText()).isEqualTo("base64");
    assertThat(properties.get("offset").get("format").asText()).isEqualTo("date-time");
    assertThat(properties.get("local").get("format").asText()).isEqualTo("local-date-time");
    assertThat(properties.get("took").get("format").asText()).isEqualTo("duration");
    assertThat(properties.get("huge").get("type").asText()).isEqualTo("integer");
    assertThat(properties.get("maybe")).isEqualTo(parse("{\"type\":[\"string\",\"null\"]}"));
    assertThat(properties.get("files").get("items"))
        .isEqualTo(parse("{\"$ref\":\"#/$defs/FileData\"}"));
    assertThat(properties.get("tags").get("uniqueItems").asBoolean()).isTrue();
    assertThat(properties.get("numbers").get("items").get("format").asText()).isEqualTo("int32");
    assertThat(properties.get("sizes").get("additionalProperties").get("type").asText())
        .isEqualTo("integer");
    assertThat(properties.get("byColor").get("propertyNames").get("enum")).hasSize(2);
    assertThat(properties.get("color").get("enum")).hasSize(2);
    assertThat(everything.get("required"))
        .as("primitives of a record cannot be null or missing")
        .isEqualTo(parse("[\"count\",\"big\",\"flag\",\"ratio\"]"));
    assertThat(generator.definitions().has("FileData")).isTrue();
  }

  @Test
  void pojoPropertiesAndRecursiveTypes() {
    assertThat(schema(Pojo.class)).isEqualTo(parse("{\"$ref\":\"#/$defs/Pojo\"}"));
    assertThat(generator.definitions().get("Pojo"))
        .isEqualTo(parse("{\"type\":\"object\",\"properties\":{\"label\":{\"type\":\"string\"}}}"));

    assertThat(schema(Tree.class)).isEqualTo(parse("{\"$ref\":\"#/$defs/Tree\"}"));
    assertThat(generator.definitions().get("Tree").get("properties").get("children"))
        .isEqualTo(parse("{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/Tree\"}}"));
  }

  @Test
  void theSchemaOfAValueAcceptsWhatTheCodecWrites() throws Exception {
    // A light check that names line up with what Jackson really writes.
    FileData file = new FileData("f", new byte[] {1, 2});
    JsonNode written = json.readTree(json.writeValueAsString(file));
    schema(FileData.class);
    ObjectNode definition = (ObjectNode) generator.definitions().get("FileData");
    assertThat(written.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrderElementsOf(() -> definition.get("properties").fieldNames());
  }

  private JsonNode schema(java.lang.reflect.Type type) {
    return generator.schema(type);
  }

  private JsonNode schema(TypeReference<?> type) {
    return generator.schema(json.getTypeFactory().constructType(type));
  }

  private JsonNode parse(String text) {
    try {
      return json.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
