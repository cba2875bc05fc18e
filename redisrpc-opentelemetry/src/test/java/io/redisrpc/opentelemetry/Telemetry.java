package io.redisrpc.opentelemetry;

import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.testing.RedisProcess;
import java.time.Duration;
import java.util.Optional;
import org.awaitility.Awaitility;

/**
 * The OpenTelemetry SDK as an application configures it (W3C trace context and baggage), with spans
 * and metrics kept in memory, and a {@link Greeter} server and client instrumented with it.
 */
final class Telemetry implements AutoCloseable {
  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .build())
          .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
          .setPropagators(
              ContextPropagators.create(
                  TextMapPropagator.composite(
                      W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
          .build();
  final RedisRpcTelemetry telemetry = RedisRpcTelemetry.create(sdk);

  /** A server of {@link Greeter} instrumented with this telemetry. */
  RpcServer serveGreeter(RedisProcess redis) {
    return RpcServer.builder(Greeter.class, new Greeter.Impl())
        .addInterceptor(telemetry.serverInterceptor())
        .build()
        .connect(redis.uri());
  }

  /** A client of {@code service} instrumented with this telemetry. */
  <T> RpcClient<T> client(Class<T> service, RedisProcess redis) {
    return RpcClient.builder(service)
        .addInterceptor(telemetry.clientInterceptor())
        .build()
        .connect(redis.uri());
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

  /** The metric named {@code name}, as collected now. */
  Optional<MetricData> metric(String name) {
    return metrics.collectAllMetrics().stream().filter(m -> m.getName().equals(name)).findFirst();
  }

  @Override
  public void close() {
    sdk.close();
  }
}
