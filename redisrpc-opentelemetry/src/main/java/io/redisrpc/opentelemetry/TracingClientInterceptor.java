package io.redisrpc.opentelemetry;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.redisrpc.Interceptor;
import io.redisrpc.Metadata;
import io.redisrpc.RpcCall;
import io.redisrpc.internal.dispatch.Errors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/** A CLIENT span per call, child of the current context, injected into the call's headers. */
final class TracingClientInterceptor implements Interceptor {
  private final CallTelemetry telemetry;

  TracingClientInterceptor(CallTelemetry telemetry) {
    this.telemetry = telemetry;
  }

  @Override
  public CompletionStage<@Nullable Object> intercept(Chain chain) {
    RpcCall call = chain.call();
    return telemetry.run(
        call,
        SpanKind.CLIENT,
        Context.current(),
        context -> chain.proceed(withContext(call, context)),
        Errors::clientCode);
  }

  private RpcCall withContext(RpcCall call, Context context) {
    Map<String, String> fields = new LinkedHashMap<>();
    telemetry
        .propagator()
        .inject(
            context,
            fields,
            (carrier, key, value) -> {
              if (carrier != null) {
                carrier.put(key, value);
              }
            });
    return fields.isEmpty() ? call : call.withHeaders(call.headers().merge(Metadata.of(fields)));
  }
}
