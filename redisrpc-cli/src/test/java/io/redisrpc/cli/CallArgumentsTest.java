package io.redisrpc.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Arguments of {@code redisrpc call}, checked against a descriptor before anything is sent. */
class CallArgumentsTest {
  private static final String DESCRIPTOR =
      "{\"service\":\"Shop\",\"endpoints\":["
          + "{\"name\":\"buy\",\"params\":["
          + "{\"name\":\"item\",\"schema\":{\"type\":\"string\"}},"
          + "{\"name\":\"count\",\"schema\":{\"type\":\"integer\"}},"
          + "{\"name\":\"note\",\"schema\":{\"type\":[\"string\",\"null\"]}}],"
          + "\"result\":{\"type\":\"number\"}},"
          + "{\"name\":\"find\",\"params\":[{\"name\":\"id\",\"schema\":{\"type\":\"string\"}}],"
          + "\"result\":{\"$ref\":\"#/$defs/Item\"}},"
          + "{\"name\":\"all\",\"params\":[],\"result\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"uniqueItems\":true}}"
          + "]}";

  private final DescriptorView descriptor = DescriptorView.parse(DESCRIPTOR);
  private final DescriptorView.EndpointView buy = descriptor.endpoint("buy").orElseThrow();
  private final DescriptorView.EndpointView find = descriptor.endpoint("find").orElseThrow();
  private final DescriptorView.EndpointView all = descriptor.endpoint("all").orElseThrow();

  @Test
  void arraysObjectsByNameAndSingleValues() {
    assertThat(args("[\"x\", 2, null]", buy)).isEqualTo("[\"x\",2,null]");
    assertThat(args("{\"count\": 2, \"item\": \"x\"}", buy))
        .as("by name, in parameter order; a nullable parameter may be left out")
        .isEqualTo("[\"x\",2,null]");
    assertThat(args("\"abc\"", find)).isEqualTo("[\"abc\"]");
    assertThat(args(null, all)).isEqualTo("[]");
    assertThat(args("[12345678901234567890.50]", find))
        .as("numbers pass exactly")
        .isEqualTo("[12345678901234567890.50]");
  }

  @Test
  void mistakesNameTheParameters() {
    assertThatThrownBy(() -> args("[\"x\"]", buy))
        .hasMessage("Shop.buy takes 3 arguments (item, count, note), got 1 argument");
    assertThatThrownBy(() -> args("{\"item\": \"x\", \"colour\": 1}", buy))
        .hasMessage(
            "unknown parameter 'colour' of Shop.buy; it takes 3 arguments (item, count, note)");
    assertThatThrownBy(() -> args("{\"note\": \"x\"}", buy))
        .hasMessage(
            "missing parameters 'item', 'count' of Shop.buy; it takes 3 arguments (item, count, note)");
    assertThatThrownBy(() -> args(null, find))
        .hasMessage("Shop.find takes 1 argument (id); give them as a JSON array or an object");
    assertThatThrownBy(() -> args("7", buy))
        .hasMessage(
            "Shop.buy takes 3 arguments (item, count, note); give them as a JSON array or an object");
    assertThatThrownBy(() -> args("[1,", find))
        .hasMessageStartingWith("invalid JSON arguments: ")
        .hasMessageContaining("line 1, column");
    assertThatThrownBy(() -> args("[1] [2]", find))
        .hasMessageStartingWith("invalid JSON arguments: ");
    assertThatThrownBy(() -> CallArguments.of("{\"id\": 1}", null, "Shop.find"))
        .hasMessageContaining("as a JSON array");
  }

  @Test
  void typeNamesOfSchemas() {
    assertThat(DescriptorView.signature(buy))
        .isEqualTo("buy(item: string, count: integer, note: string | null) -> number");
    assertThat(DescriptorView.signature(find)).isEqualTo("find(id: string) -> Item");
    assertThat(DescriptorView.signature(all)).isEqualTo("all() -> set<string>");
    assertThat(
            DescriptorView.typeName(
                json("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}}")))
        .isEqualTo("map<string, integer>");
    assertThat(DescriptorView.typeName(json("{\"type\":\"string\",\"enum\":[\"RED\",\"GREEN\"]}")))
        .isEqualTo("\"RED\" | \"GREEN\"");
    assertThat(
            DescriptorView.typeName(
                json("{\"anyOf\":[{\"$ref\":\"#/$defs/A\"},{\"type\":\"null\"}]}")))
        .isEqualTo("A | null");
    assertThat(DescriptorView.typeName(json("{}"))).isEqualTo("any");
  }

  @Test
  void durations() {
    assertThat(DurationConverter.parse("500ms")).hasMillis(500);
    assertThat(DurationConverter.parse("1.5s")).hasMillis(1500);
    assertThat(DurationConverter.parse("2m")).hasSeconds(120);
    assertThat(DurationConverter.parse("10")).hasSeconds(10);
    assertThat(DurationConverter.parse("PT3S")).hasSeconds(3);
    assertThatThrownBy(() -> new DurationConverter().convert("0s"))
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> DurationConverter.parse("soon"))
        .hasMessageContaining("not a duration");
    assertThat(Format.age(java.time.Duration.ofSeconds(125))).isEqualTo("2m 5s");
    assertThat(Format.latency(java.time.Duration.ofNanos(420_000))).isEqualTo("0.42 ms");
  }

  @Test
  void tablesPadColumns() {
    Table table = new Table("NAME", "N").alignRight(1);
    table.add("a", 10);
    table.add("longer", null);
    assertThat(table.lines()).isEqualTo(List.of("NAME     N", "a       10", "longer   -"));
  }

  private static String args(String text, DescriptorView.EndpointView endpoint) {
    return CliJson.write(CallArguments.of(text, endpoint, "Shop." + endpoint.name()), true);
  }

  private static JsonNode json(String text) {
    return CliJson.parse(text, "schema");
  }
}
