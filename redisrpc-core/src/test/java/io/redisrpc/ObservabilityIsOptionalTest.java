package io.redisrpc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Metrics and tracing live in redisrpc-micrometer and redisrpc-opentelemetry: the core runs, and
 * its whole test suite passes, with neither Micrometer nor OpenTelemetry on the class path (its pom
 * bans them too, in every scope).
 */
class ObservabilityIsOptionalTest {
  @Test
  void theCoreClassPathHasNeitherMicrometerNorOpenTelemetry() {
    List<String> absent =
        List.of(
            "io.micrometer.observation.Observation",
            "io.micrometer.core.instrument.MeterRegistry",
            "io.micrometer.tracing.Tracer",
            "io.opentelemetry.api.OpenTelemetry",
            "io.opentelemetry.context.Context");
    for (String name : absent) {
      assertThatThrownBy(() -> Class.forName(name, false, getClass().getClassLoader()))
          .as(name)
          .isInstanceOf(ClassNotFoundException.class);
    }
  }
}
