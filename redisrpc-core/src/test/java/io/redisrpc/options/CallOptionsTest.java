package io.redisrpc.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redisrpc.CallContext;
import io.redisrpc.CallOptions;
import io.redisrpc.Codec;
import io.redisrpc.Deadline;
import io.redisrpc.Endpoint;
import io.redisrpc.Metadata;
import io.redisrpc.RemoteException;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcException;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.StatusCode;
import io.redisrpc.codecs.CodecTest;
import io.redisrpc.codecs.CodecTest.Geometry;
import io.redisrpc.codecs.Point;
import io.redisrpc.codecs.PointCodec;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Options bound to a proxy: deadline, headers, codec. */
@WithRedis
class CallOptionsTest {
  @RpcService("Options")
  public interface Probe {
    @Endpoint(timeoutMillis = 60_000)
    long remainingMillis();

    @Endpoint
    Map<String, String> headers();

    @Endpoint
    CompletableFuture<Long> remainingMillisLater();
  }

  static final Probe PROBE =
      new Probe() {
        @Override
        public long remainingMillis() {
          return CallContext.current().deadline().orElseThrow().remainingMillis();
        }

        @Override
        public Map<String, String> headers() {
          return CallContext.current().headers().asMap();
        }

        @Override
        public CompletableFuture<Long> remainingMillisLater() {
          return CompletableFuture.completedFuture(remainingMillis());
        }
      };

  @Test
  void aTimeoutInTheOptionsReplacesTheEndpointsAndADeadlineBoundsEveryCall(RedisProcess redis) {
    try (RpcServer server = RpcServer.create(Probe.class, PROBE).connect(redis.uri());
        RpcClient<Probe> client = RpcClient.create(Probe.class).connect(redis.uri())) {
      assertThat(client.proxy().remainingMillis()).isGreaterThan(50_000);

      Probe twoSeconds =
          client.withOptions(CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(2))).proxy();
      assertThat(twoSeconds.remainingMillis()).isBetween(1L, 2_000L);
      assertThat(twoSeconds.remainingMillisLater().join()).isBetween(1L, 2_000L);

      Probe byDeadline =
          client
              .withOptions(
                  CallOptions.DEFAULT
                      .withDeadline(Deadline.after(Duration.ofSeconds(3)))
                      .withTimeout(Duration.ofSeconds(30)))
              .proxy();
      assertThat(byDeadline.remainingMillis()).isBetween(1L, 3_000L);
    }
  }

  @Test
  void headersOfTheOptionsTravelAndInterceptorsMayStillChangeThem(RedisProcess redis) {
    try (RpcServer server = RpcServer.create(Probe.class, PROBE).connect(redis.uri());
        RpcClient<Probe> client =
            RpcClient.builder(Probe.class)
                .addInterceptor(chain -> chain.proceed(chain.call().withHeader("tenant", "acme")))
                .build()
                .connect(redis.uri())) {
      Probe probe =
          client
              .withOptions(
                  CallOptions.DEFAULT
                      .withHeader("tenant", "overridden")
                      .withHeaders(Metadata.of(Map.of("trace", "t-1"))))
              .proxy();
      assertThat(probe.headers()).containsEntry("tenant", "acme").containsEntry("trace", "t-1");
      assertThat(client.proxy().headers()).doesNotContainKey("trace");
    }
  }

  @Test
  void aCodecOfTheOptionsSendsTheCallsInItWhenItEncodesTheirTypes(RedisProcess redis) {
    try (RpcServer server =
            RpcServer.builder(Geometry.class, CodecTest.GEOMETRY)
                .addCodec(new PointCodec())
                .build()
                .connect(redis.uri());
        RpcClient<Geometry> client =
            RpcClient.builder(Geometry.class)
                .addCodec(new PointCodec())
                .build()
                .connect(redis.uri())) {
      Geometry msgpack = client.withOptions(CallOptions.DEFAULT.withCodec(Codec.MSGPACK)).proxy();
      assertThat(msgpack.move(new Point(1, 1), new Point(1, 1))).isEqualTo(new Point(2, 2));
      assertThat(msgpack.describe("line")).isEqualTo("a line");

      Geometry points = client.withOptions(CallOptions.DEFAULT.withCodec(new PointCodec())).proxy();
      assertThat(points.origin()).isEqualTo(new Point(0, 0));
      assertThatThrownBy(() -> points.describe("line"))
          .isInstanceOf(RpcException.class)
          .hasMessage(
              "Codec 'points' does not encode the types of Geometry.describe; it was asked for by"
                  + " the call's options")
          .extracting(e -> ((RpcException) e).code())
          .isEqualTo(StatusCode.INVALID_ARGUMENT);
    }
  }

  @Test
  void aServerAskedInACodecThatDoesNotEncodeTheEndpointAnswersInvalidArgument(RedisProcess redis) {
    try (RpcServer server =
            RpcServer.builder(Geometry.class, CodecTest.GEOMETRY)
                .addCodec(new PointCodec())
                .build()
                .connect(redis.uri());
        RpcClient<Geometry> client =
            RpcClient.builder(Geometry.class)
                .addCodec(new Everything("points"))
                .build()
                .connect(redis.uri())) {
      assertThatThrownBy(() -> client.proxy().describe("line"))
          .isInstanceOf(RemoteException.class)
          .hasMessageContaining(
              "Codec 'points' does not encode the types of Geometry.describe on this server")
          .extracting(e -> ((RemoteException) e).code())
          .isEqualTo(StatusCode.INVALID_ARGUMENT);
    }
  }

  @Test
  void optionsAreImmutableAndCheckedWhereTheyAreGiven(RedisProcess redis) {
    CallOptions base = CallOptions.DEFAULT.withHeader("a", "1");
    CallOptions more = base.withIdempotencyKey("k-1");
    assertThat(base.idempotencyKey()).isEmpty();
    assertThat(more.idempotencyKey()).contains("k-1");
    assertThat(more.headers().asMap()).containsExactly(Map.entry("a", "1"));
    assertThat(more).isEqualTo(base.withIdempotencyKey("k-1")).isNotEqualTo(base);
    assertThat(more.toString()).isEqualTo("CallOptions[headers={a=1}, idempotencyKey=k-1]");
    assertThatThrownBy(() -> CallOptions.DEFAULT.withTimeout(Duration.ZERO))
        .hasMessage("timeout must be positive: PT0S");
    assertThatThrownBy(() -> CallOptions.DEFAULT.withIdempotencyKey(""))
        .hasMessage(
            "Invalid idempotency key '': use 1 to 200 characters without control characters");
    assertThatThrownBy(() -> CallOptions.DEFAULT.withDeadline(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("deadline == null");
    try (RpcClient<Geometry> client = RpcClient.create(Geometry.class)) {
      assertThatThrownBy(() -> client.withOptions(CallOptions.DEFAULT.withCodec(new PointCodec())))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "The client knows no codec 'points' (it knows json, msgpack); add it with"
                  + " RpcClient.Builder.addCodec");
    }
  }

  /** MessagePack under another name: a client that disagrees with its server on a codec. */
  private static final class Everything implements io.redisrpc.Codec {
    private final String name;

    Everything(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public com.fasterxml.jackson.core.JsonFactory format() {
      return Codec.MSGPACK.format();
    }

    @Override
    public io.redisrpc.ValueCodec<?> valueCodec(java.lang.reflect.Type type) {
      return Codec.MSGPACK.valueCodec(type);
    }
  }
}
