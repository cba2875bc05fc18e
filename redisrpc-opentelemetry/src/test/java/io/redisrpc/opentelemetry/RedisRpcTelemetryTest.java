package io.redisrpc.opentelemetry;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.redisrpc.Endpoint;
import io.redisrpc.RemoteException;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Spans and duration histograms through the OpenTelemetry API, the trace crossing the call. */
@WithRedis
class RedisRpcTelemetryTest {
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final AttributeKey<String> STATUS =
      AttributeKey.stringKey("rpc.response.status_code");

  /** A service whose handler calls {@link Greeter}. */
  @RpcService("Front")
  public interface Front {
    @Endpoint
    String welcome(String name);
  }

  @Test
  void aCallMakesAClientAndAServerSpanNamedAfterTheMethod(RedisProcess redis) {
    try (Telemetry otel = new Telemetry();
        RpcServer server = otel.serveGreeter(redis);
        RpcClient<Greeter> client = otel.client(Greeter.class, redis)) {
      assertThat(client.proxy().greet("ada")).isEqualTo("hello ada");

      for (SpanKind kind : new SpanKind[] {SpanKind.CLIENT, SpanKind.SERVER}) {
        assertThat(otel.awaitSpan("Greeter/greet", kind))
            .hasKind(kind)
            .hasAttributesSatisfyingExactly(
                equalTo(AttributeKey.stringKey("rpc.system"), "redisrpc"),
                equalTo(AttributeKey.stringKey("rpc.service"), "Greeter"),
                equalTo(AttributeKey.stringKey("rpc.method"), "greet"),
                equalTo(STATUS, "OK"))
            .hasStatus(StatusData.unset());
      }
    }
  }

  @Test
  void theServersSpanIsTheChildOfTheClientsSpan(RedisProcess redis) {
    try (Telemetry otel = new Telemetry();
        RpcServer server = otel.serveGreeter(redis);
        RpcClient<Greeter> client = otel.client(Greeter.class, redis)) {
      Map<String, String> headers = client.proxy().headers();

      SpanData clientSpan = otel.awaitSpan("Greeter/headers", SpanKind.CLIENT);
      SpanData serverSpan = otel.awaitSpan("Greeter/headers", SpanKind.SERVER);
      assertThat(serverSpan.getTraceId()).isEqualTo(clientSpan.getTraceId());
      assertThat(serverSpan.getParentSpanId()).isEqualTo(clientSpan.getSpanId());
      assertThat(serverSpan.getParentSpanContext().isRemote()).isTrue();
      assertThat(clientSpan.getParentSpanContext().isValid()).isFalse();
      assertThat(headers.get("traceparent"))
          .startsWith("00-" + clientSpan.getTraceId() + "-" + clientSpan.getSpanId() + "-");
    }
  }

  @Test
  void aCallMadeInsideAHandlerContinuesTheTrace(RedisProcess redis) {
    try (Telemetry otel = new Telemetry();
        RpcServer greeterServer = otel.serveGreeter(redis);
        RpcClient<Greeter> greeter = otel.client(Greeter.class, redis);
        RpcServer frontServer =
            RpcServer.builder(Front.class, (Front) name -> greeter.proxy().greet(name) + "!")
                .addInterceptor(otel.telemetry.serverInterceptor())
                .build()
                .connect(redis.uri());
        RpcClient<Front> front = otel.client(Front.class, redis)) {
      assertThat(front.proxy().welcome("ada")).isEqualTo("hello ada!");

      SpanData frontClient = otel.awaitSpan("Front/welcome", SpanKind.CLIENT);
      SpanData frontServerSpan = otel.awaitSpan("Front/welcome", SpanKind.SERVER);
      SpanData nestedClient = otel.awaitSpan("Greeter/greet", SpanKind.CLIENT);
      SpanData nestedServer = otel.awaitSpan("Greeter/greet", SpanKind.SERVER);
      assertThat(List.of(frontServerSpan, nestedClient, nestedServer))
          .extracting(SpanData::getTraceId)
          .containsOnly(frontClient.getTraceId());
      assertThat(frontServerSpan.getParentSpanId()).isEqualTo(frontClient.getSpanId());
      assertThat(nestedClient.getParentSpanId()).isEqualTo(frontServerSpan.getSpanId());
      assertThat(nestedServer.getParentSpanId()).isEqualTo(nestedClient.getSpanId());
    }
  }

  @Test
  void aFailedCallHasErrorTypeAndAnErrorClientSpan(RedisProcess redis) {
    try (Telemetry otel = new Telemetry();
        RpcServer server = otel.serveGreeter(redis);
        RpcClient<Greeter> client = otel.client(Greeter.class, redis)) {
      assertThatThrownBy(() -> client.proxy().missing("bob")).isInstanceOf(RemoteException.class);
      assertThatThrownBy(() -> client.proxy().broken("bob")).isInstanceOf(RemoteException.class);

      SpanData missingClient = otel.awaitSpan("Greeter/missing", SpanKind.CLIENT);
      SpanData missingServer = otel.awaitSpan("Greeter/missing", SpanKind.SERVER);
      for (SpanData span : List.of(missingClient, missingServer)) {
        assertThat(span).hasAttribute(STATUS, "NOT_FOUND").hasAttribute(ERROR_TYPE, "NOT_FOUND");
        assertThat(span.getEvents()).extracting(EventData::getName).contains("exception");
      }
      assertThat(missingClient.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      // NOT_FOUND is the caller's problem, not the server's.
      assertThat(missingServer.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
      for (SpanKind kind : new SpanKind[] {SpanKind.CLIENT, SpanKind.SERVER}) {
        SpanData broken = otel.awaitSpan("Greeter/broken", kind);
        assertThat(broken).hasAttribute(ERROR_TYPE, "UNKNOWN");
        assertThat(broken.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      }
    }
  }

  @Test
  void callDurationsAreHistogramsInSecondsTaggedByMethodAndStatus(RedisProcess redis) {
    try (Telemetry otel = new Telemetry();
        RpcServer server = otel.serveGreeter(redis);
        RpcClient<Greeter> client = otel.client(Greeter.class, redis)) {
      client.proxy().greet("ada");
      client.proxy().greet("bob");
      assertThatThrownBy(() -> client.proxy().missing("eve")).isInstanceOf(RemoteException.class);

      Attributes ok =
          Attributes.builder()
              .put("rpc.system", "redisrpc")
              .put("rpc.service", "Greeter")
              .put("rpc.method", "greet")
              .put(STATUS, "OK")
              .build();
      Attributes notFound =
          ok.toBuilder()
              .put("rpc.method", "missing")
              .put(STATUS, "NOT_FOUND")
              .put(ERROR_TYPE, "NOT_FOUND")
              .build();
      for (String name : new String[] {"rpc.client.call.duration", "rpc.server.call.duration"}) {
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(otel.metric(name).orElseThrow())
                        .hasUnit("s")
                        .hasHistogramSatisfying(
                            histogram ->
                                histogram.hasPointsSatisfying(
                                    point -> point.hasAttributes(ok).hasCount(2),
                                    point -> point.hasAttributes(notFound).hasCount(1))));
      }
    }
  }
}
