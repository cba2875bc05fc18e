package io.redisrpc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The arguments of {@code redisrpc call} as the JSON array the protocol sends: from a JSON array
 * (one element per parameter), a JSON object by parameter name, or for an endpoint of one parameter
 * its value alone. Mistakes the descriptor can tell (wrong count, unknown or missing parameter
 * names) fail here, with one line naming the parameters; the server checks the types.
 */
final class CallArguments {
  private CallArguments() {}

  /**
   * The argument array for {@code endpoint} ({@code Service.method}) from {@code text}; {@code
   * endpoint} may be null when the service publishes no descriptor, and then only arrays are
   * accepted.
   */
  static ArrayNode of(
      @Nullable String text, DescriptorView.@Nullable EndpointView endpoint, String qualified) {
    List<String> names = endpoint == null ? null : endpoint.parameterNames();
    if (text == null || text.isBlank()) {
      if (names != null && !names.isEmpty()) {
        throw new IllegalArgumentException(
            qualified + " takes " + takes(names) + "; give them as a JSON array or an object");
      }
      return JsonNodeFactory.instance.arrayNode();
    }
    JsonNode node = CliJson.parse(text, "arguments");
    if (node.isArray()) {
      if (names != null && node.size() != names.size()) {
        throw new IllegalArgumentException(
            qualified
                + " takes "
                + takes(names)
                + ", got "
                + Format.count(node.size(), "argument"));
      }
      return (ArrayNode) node;
    }
    if (names == null) {
      throw new IllegalArgumentException(
          "the service publishes no descriptor, so give the arguments of "
              + qualified
              + " as a JSON array");
    }
    if (node.isObject()) {
      return byName(node, endpoint, qualified);
    }
    if (names.size() == 1) {
      return JsonNodeFactory.instance.arrayNode().add(node);
    }
    throw new IllegalArgumentException(
        qualified + " takes " + takes(names) + "; give them as a JSON array or an object");
  }

  private static ArrayNode byName(
      JsonNode object, DescriptorView.EndpointView endpoint, String qualified) {
    List<String> names = endpoint.parameterNames();
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!names.contains(key)) {
        throw new IllegalArgumentException(
            "unknown parameter '" + key + "' of " + qualified + "; it takes " + takes(names));
      }
    }
    ArrayNode args = JsonNodeFactory.instance.arrayNode();
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      JsonNode value = object.get(names.get(i));
      if (value == null) {
        if (!DescriptorView.nullable(endpoint.parameterSchemas().get(i))) {
          missing.add(names.get(i));
        }
        args.addNull();
      } else {
        args.add(value);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "missing parameter"
              + (missing.size() == 1 ? " '" : "s '")
              + String.join("', '", missing)
              + "' of "
              + qualified
              + "; it takes "
              + takes(names));
    }
    return args;
  }

  private static String takes(List<String> names) {
    if (names.isEmpty()) {
      return "no arguments";
    }
    return Format.count(names.size(), "argument") + " (" + String.join(", ", names) + ")";
  }
}
