package io.redisrpc.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations such as {@code 500ms}, {@code 10s}, {@code 1.5s}, {@code 2m} or ISO-8601 {@code
 * PT10S}; a bare number means seconds. Durations must be positive.
 */
final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    Duration d = parse(value);
    if (d.isNegative() || d.isZero()) {
      throw new TypeConversionException("'" + value + "' is not a positive duration");
    }
    return d;
  }

  static Duration parse(String value) {
    String text = value.strip().toLowerCase(Locale.ROOT);
    try {
      if (text.startsWith("pt") || text.startsWith("p")) {
        return Duration.parse(text.toUpperCase(Locale.ROOT));
      }
      if (text.endsWith("ms")) {
        return Duration.ofNanos(nanos(text.substring(0, text.length() - 2), 1_000_000L));
      }
      if (text.endsWith("s")) {
        return Duration.ofNanos(nanos(text.substring(0, text.length() - 1), 1_000_000_000L));
      }
      if (text.endsWith("m")) {
        return Duration.ofNanos(nanos(text.substring(0, text.length() - 1), 60_000_000_000L));
      }
      return Duration.ofNanos(nanos(text, 1_000_000_000L));
    } catch (ArithmeticException
        | NumberFormatException
        | java.time.format.DateTimeParseException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration: use e.g. 500ms, 10s, 1.5s or 2m");
    }
  }

  private static long nanos(String number, long unit) {
    return new BigDecimal(number.strip()).multiply(BigDecimal.valueOf(unit)).longValueExact();
  }
}
