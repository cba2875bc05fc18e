/**
 * Micrometer instrumentation of redisrpc: {@link io.micrometer.observation.Observation}s of calls
 * on both sides ({@link io.redisrpc.micrometer.ObservationClientInterceptor}, {@link
 * io.redisrpc.micrometer.ObservationServerInterceptor}), named and tagged after OpenTelemetry's RPC
 * semantic conventions, with the trace context carried in the call's headers when Micrometer
 * Tracing is configured; and gauges of a server ({@link io.redisrpc.micrometer.RpcServerMetrics})
 * and of a service's queue ({@link io.redisrpc.micrometer.ServiceQueueMetrics}).
 */
@NullMarked
package io.redisrpc.micrometer;

import org.jspecify.annotations.NullMarked;
