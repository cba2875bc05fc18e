package io.redisrpc.opentelemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.redisrpc.Interceptor;
import java.util.Objects;

/**
 * OpenTelemetry instrumentation of redisrpc calls, through the OpenTelemetry API alone (no
 * Micrometer): interceptors that make a span per call on each side, {@code CLIENT} and {@code
 * SERVER}, named {@code Service/method}, and record the call-duration histograms {@code
 * rpc.client.call.duration} and {@code rpc.server.call.duration} (seconds). The trace context
 * travels in the call's headers through {@code openTelemetry}'s {@code TextMapPropagator} (W3C
 * {@code traceparent} and {@code tracestate} with the usual configuration), so the server's span is
 * the child of the client's, and calls made inside a handler continue the trace.
 *
 * <pre>{@code
 * RedisRpcTelemetry telemetry = RedisRpcTelemetry.create(openTelemetry);
 * RpcServer server = RpcServer.builder(Dropbox.class, impl)
 *     .addInterceptor(telemetry.serverInterceptor())
 *     .build();
 * RpcClient<Dropbox> client = RpcClient.builder(Dropbox.class)
 *     .addInterceptor(telemetry.clientInterceptor())
 *     .build();
 * }</pre>
 *
 * <p>Attributes: {@code rpc.system} ({@code redisrpc}), {@code rpc.service}, {@code rpc.method},
 * {@code rpc.response.status_code} ({@code OK} or the {@code StatusCode}'s name) and, for failed
 * calls, {@code error.type} (the {@code StatusCode}'s name). A failed call's client span has status
 * {@code ERROR}; its server span too when the code is the server's fault ({@code UNKNOWN}, {@code
 * DEADLINE_EXCEEDED}, {@code UNIMPLEMENTED}, {@code INTERNAL}, {@code UNAVAILABLE}, {@code
 * DATA_LOSS}), as for gRPC.
 *
 * <p>Add the interceptors first, so that they observe the other interceptors too. Headers do not
 * travel in the aioredis-rpc protocol: there the server's spans start traces of their own.
 */
public final class RedisRpcTelemetry {
  private final Interceptor client;
  private final Interceptor server;

  private RedisRpcTelemetry(CallTelemetry telemetry) {
    this.client = new TracingClientInterceptor(telemetry);
    this.server = new TracingServerInterceptor(telemetry);
  }

  /** Instrumentation reporting to {@code openTelemetry}'s tracer and meter providers. */
  public static RedisRpcTelemetry create(OpenTelemetry openTelemetry) {
    Objects.requireNonNull(openTelemetry, "openTelemetry == null");
    return new RedisRpcTelemetry(new CallTelemetry(openTelemetry));
  }

  /** The interceptor for {@code RpcClient.Builder.addInterceptor}. */
  public Interceptor clientInterceptor() {
    return client;
  }

  /** The interceptor for {@code RpcServer.Builder.addInterceptor}. */
  public Interceptor serverInterceptor() {
    return server;
  }
}
