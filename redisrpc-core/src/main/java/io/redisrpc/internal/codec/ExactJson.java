package io.redisrpc.internal.codec;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

/**
 * A Jackson mapper for JSON trees that keeps numbers as written: decimals as {@code BigDecimal}
 * with their trailing zeros, integers of any size. For JSON that passes through without a Java type
 * (dynamic calls, registry documents).
 */
public final class ExactJson {
  /** The shared mapper; thread-safe. */
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ExactJson() {}
}
