/**
 * OpenTelemetry instrumentation of redisrpc without Micrometer: client and server interceptors
 * ({@link io.redisrpc.opentelemetry.RedisRpcTelemetry}) making spans and call-duration histograms
 * after OpenTelemetry's RPC semantic conventions, with the trace context carried in the call's
 * headers by the configured {@link io.opentelemetry.context.propagation.TextMapPropagator}.
 */
@NullMarked
package io.redisrpc.opentelemetry;

import org.jspecify.annotations.NullMarked;
