package io.redisrpc.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.redisrpc.Endpoint;
import io.redisrpc.RemoteException;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With Micrometer Tracing, the trace crosses the call in its headers. */
@WithRedis
class TracePropagationTest {
  /** A service whose handler calls {@link Greeter}. */
  @RpcService("Front")
  public interface Front {
    @Endpoint
    String welcome(String name);
  }

  @Test
  void theServersSpanIsTheChildOfTheClientsSpan(RedisProcess redis) {
    try (Tracing tracing = new Tracing();
        ObservedGreeter greeter = ObservedGreeter.connect(redis, tracing.observations)) {
      Map<String, String> headers = greeter.proxy().headers();

      SpanData clientSpan = tracing.awaitSpan("Greeter/headers", SpanKind.CLIENT);
      SpanData serverSpan = tracing.awaitSpan("Greeter/headers", SpanKind.SERVER);
      assertThat(serverSpan.getTraceId()).isEqualTo(clientSpan.getTraceId());
      assertThat(serverSpan.getParentSpanId()).isEqualTo(clientSpan.getSpanId());
      assertThat(clientSpan.getParentSpanContext().isValid()).isFalse();
      // W3C Trace Context, as the propagator wrote it: version-traceid-parentid-flags.
      assertThat(headers.get("traceparent"))
          .startsWith("00-" + clientSpan.getTraceId() + "-" + clientSpan.getSpanId() + "-")
          .matches("00-\\p{XDigit}{32}-\\p{XDigit}{16}-\\p{XDigit}{2}");
      assertThat(clientSpan.getAttributes().get(AttributeKey.stringKey("rpc.system")))
          .isEqualTo("redisrpc");
      assertThat(serverSpan.getAttributes().get(AttributeKey.stringKey("rpc.method")))
          .isEqualTo("headers");
    }
  }

  @Test
  void aCallMadeInsideAHandlerContinuesTheTrace(RedisProcess redis) {
    try (Tracing tracing = new Tracing();
        ObservedGreeter greeter = ObservedGreeter.connect(redis, tracing.observations);
        RpcServer frontServer =
            RpcServer.builder(Front.class, (Front) name -> greeter.proxy().greet(name) + "!")
                .addInterceptor(ObservationServerInterceptor.create(tracing.observations))
                .build()
                .connect(redis.uri());
        RpcClient<Front> front =
            RpcClient.builder(Front.class)
                .addInterceptor(ObservationClientInterceptor.create(tracing.observations))
                .build()
                .connect(redis.uri())) {
      assertThat(front.proxy().welcome("ada")).isEqualTo("hello ada!");

      SpanData frontClient = tracing.awaitSpan("Front/welcome", SpanKind.CLIENT);
      SpanData frontServerSpan = tracing.awaitSpan("Front/welcome", SpanKind.SERVER);
      SpanData nestedClient = tracing.awaitSpan("Greeter/greet", SpanKind.CLIENT);
      SpanData nestedServer = tracing.awaitSpan("Greeter/greet", SpanKind.SERVER);
      assertThat(
              List.of(frontServerSpan, nestedClient, nestedServer).stream()
                  .map(SpanData::getTraceId))
          .containsOnly(frontClient.getTraceId());
      assertThat(frontServerSpan.getParentSpanId()).isEqualTo(frontClient.getSpanId());
      assertThat(nestedClient.getParentSpanId()).isEqualTo(frontServerSpan.getSpanId());
      assertThat(nestedServer.getParentSpanId()).isEqualTo(nestedClient.getSpanId());
    }
  }

  @Test
  void aFailedCallMarksBothSpansAsErrorsWithTheStatusCode(RedisProcess redis) {
    try (Tracing tracing = new Tracing();
        ObservedGreeter greeter = ObservedGreeter.connect(redis, tracing.observations)) {
      assertThatThrownBy(() -> greeter.proxy().missing("bob")).isInstanceOf(RemoteException.class);

      for (SpanKind kind : new SpanKind[] {SpanKind.CLIENT, SpanKind.SERVER}) {
        SpanData span = tracing.awaitSpan("Greeter/missing", kind);
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
            .isEqualTo("NOT_FOUND");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("rpc.response.status_code")))
            .isEqualTo("NOT_FOUND");
      }
    }
  }
}
