package io.redisrpc.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

/** JSON in and out of the command line; numbers are kept exactly as written. */
final class CliJson {
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  private CliJson() {}

  /**
   * {@code text} parsed, or an {@link IllegalArgumentException} saying where it is not JSON, e.g.
   * {@code invalid JSON arguments: Unexpected character ('x' ...) at line 1, column 2}.
   */
  static JsonNode parse(String text, String what) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException("invalid JSON " + what + ": nothing given");
      }
      return node;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      String message = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
      throw new IllegalArgumentException("invalid JSON " + what + ": " + message + where, e);
    }
  }

  /** {@code node} as JSON: indented, or on one line when {@code compact}. */
  static String write(JsonNode node, boolean compact) {
    try {
      return compact
          ? MAPPER.writeValueAsString(node)
          : MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
