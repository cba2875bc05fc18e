package io.redisrpc.opentelemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.redisrpc.RpcCall;
import io.redisrpc.StatusCode;
import io.redisrpc.internal.dispatch.Errors;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What both interceptors share: the tracer, the propagator, the duration histograms, and the names
 * and attributes of OpenTelemetry's RPC semantic conventions.
 */
final class CallTelemetry {
  static final String INSTRUMENTATION = "io.redisrpc.opentelemetry";
  static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
  static final AttributeKey<String> STATUS_CODE =
      AttributeKey.stringKey("rpc.response.status_code");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final String SYSTEM = "redisrpc";

  /** The boundaries the conventions advise for RPC durations, in seconds. */
  private static final List<Double> BUCKETS =
      List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

  /** The codes that are the server's fault: its spans are errors only for these (as gRPC's). */
  private static final Set<StatusCode> SERVER_ERRORS =
      EnumSet.of(
          StatusCode.UNKNOWN,
          StatusCode.DEADLINE_EXCEEDED,
          StatusCode.UNIMPLEMENTED,
          StatusCode.INTERNAL,
          StatusCode.UNAVAILABLE,
          StatusCode.DATA_LOSS);

  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final DoubleHistogram clientDuration;
  private final DoubleHistogram serverDuration;

  CallTelemetry(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer(INSTRUMENTATION);
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    Meter meter = openTelemetry.getMeter(INSTRUMENTATION);
    this.clientDuration =
        meter
            .histogramBuilder("rpc.client.call.duration")
            .setUnit("s")
            .setDescription("Measures the duration of outgoing remote procedure calls.")
            .setExplicitBucketBoundariesAdvice(BUCKETS)
            .build();
    this.serverDuration =
        meter
            .histogramBuilder("rpc.server.call.duration")
            .setUnit("s")
            .setDescription("Measures the duration of incoming remote procedure calls.")
            .setExplicitBucketBoundariesAdvice(BUCKETS)
            .build();
  }

  TextMapPropagator propagator() {
    return propagator;
  }

  /**
   * Starts the span of {@code call}, child of {@code parent}; proceeds with the call while the span
   * is current on this thread; ends the span and records the duration when the call's stage
   * completes. Returns that stage itself, not a dependent one: cancelling it must still cancel the
   * call.
   */
  @SuppressWarnings("try") // the scope is only opened and closed
  CompletionStage<@Nullable Object> run(
      RpcCall call,
      SpanKind kind,
      Context parent,
      Function<Context, CompletionStage<@Nullable Object>> proceed,
      Function<Throwable, StatusCode> statusOf) {
    long startNanos = System.nanoTime();
    Span span =
        tracer
            .spanBuilder(call.service() + "/" + call.method())
            .setSpanKind(kind)
            .setParent(parent)
            .setAllAttributes(attributes(call).build())
            .startSpan();
    Context context = parent.with(span);
    CompletionStage<@Nullable Object> stage;
    try (Scope ignored = context.makeCurrent()) {
      stage = proceed.apply(context);
    } catch (RuntimeException | Error e) {
      end(call, kind, span, context, startNanos, e, statusOf);
      throw e;
    }
    stage.whenComplete(
        (value, error) -> end(call, kind, span, context, startNanos, error, statusOf));
    return stage;
  }

  private void end(
      RpcCall call,
      SpanKind kind,
      Span span,
      Context context,
      long startNanos,
      @Nullable Throwable failure,
      Function<Throwable, StatusCode> statusOf) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    AttributesBuilder attributes = attributes(call);
    if (failure == null) {
      attributes.put(STATUS_CODE, "OK");
    } else {
      StatusCode code = statusOf.apply(failure);
      attributes.put(STATUS_CODE, code.name()).put(ERROR_TYPE, code.name());
      Throwable cause = Errors.unwrap(failure);
      span.recordException(cause);
      if (kind == SpanKind.CLIENT || SERVER_ERRORS.contains(code)) {
        span.setStatus(
            io.opentelemetry.api.trace.StatusCode.ERROR, String.valueOf(cause.getMessage()));
      }
    }
    Attributes finished = attributes.build();
    span.setAllAttributes(finished);
    span.end();
    (kind == SpanKind.CLIENT ? clientDuration : serverDuration).record(seconds, finished, context);
  }

  private static AttributesBuilder attributes(RpcCall call) {
    return Attributes.builder()
        .put(RPC_SYSTEM, SYSTEM)
        .put(RPC_SERVICE, call.service())
        .put(RPC_METHOD, call.method());
  }
}
