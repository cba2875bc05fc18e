package io.redisrpc.opentelemetry;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.redisrpc.Interceptor;
import io.redisrpc.RpcCall;
import io.redisrpc.internal.dispatch.Errors;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A SERVER span per served call, child of the context extracted from the call's headers, current on
 * the handler's thread while the handler method runs.
 */
final class TracingServerInterceptor implements Interceptor {
  private final CallTelemetry telemetry;

  TracingServerInterceptor(CallTelemetry telemetry) {
    this.telemetry = telemetry;
  }

  @Override
  public CompletionStage<@Nullable Object> intercept(Chain chain) {
    RpcCall call = chain.call();
    Context remote =
        telemetry.propagator().extract(Context.root(), call.headers(), MetadataGetter.INSTANCE);
    return telemetry.run(
        call, SpanKind.SERVER, remote, context -> chain.proceed(call), Errors::serverCode);
  }
}
