package io.redisrpc.micrometer;

import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;

/**
 * An observation registry as an application with Micrometer Tracing configures it: the
 * OpenTelemetry bridge with W3C propagation, spans exported to memory, and timers in a simple meter
 * registry.
 */
final class Tracing implements AutoCloseable {
  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final ObservationRegistry observations = ObservationRegistry.create();
  private final OpenTelemetrySdk sdk;

  Tracing() {
    sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    io.opentelemetry.api.trace.Tracer otelTracer = sdk.getTracer("redisrpc-micrometer-test");
    OtelCurrentTraceContext current = new OtelCurrentTraceContext();
    OtelTracer tracer =
        new OtelTracer(
            otelTracer,
            current,
            event -> {},
            new OtelBaggageManager(current, List.of(), List.of()));
    OtelPropagator propagator = new OtelPropagator(sdk.getPropagators(), otelTracer);
    observations
        .observationConfig()
        .observationHandler(
            new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)))
        .observationHandler(new DefaultMeterObservationHandler(meters));
  }

  /** The finished spans, once there are {@code count} of them. */
  List<SpanData> awaitSpans(int count) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> spans.getFinishedSpanItems().size() >= count);
    return spans.getFinishedSpanItems();
  }

  /** The finished span named {@code name} of {@code kind}, once it finished. */
  SpanData awaitSpan(String name, SpanKind kind) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> find(name, kind).isPresent());
    return find(name, kind).orElseThrow();
  }

  private Optional<SpanData> find(String name, SpanKind kind) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(name) && s.getKind() == kind)
        .findFirst();
  }

  @Override
  public void close() {
    sdk.close();
    meters.close();
  }
}
