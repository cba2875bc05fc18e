package io.redisrpc.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redisrpc.Endpoint;
import io.redisrpc.RemoteException;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.StatusCode;
import io.redisrpc.internal.codec.WireCodec;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** Reactor's {@code Flux} as a streaming endpoint's type, on either side. */
@WithRedis
class FluxStreamingTest {
  @RpcService("Lines")
  public interface Lines {
    @Endpoint
    Flux<String> lines(int count);

    /** One line, after {@code millis}. */
    @Endpoint
    Flux<String> late(long millis);
  }

  /** Serves lines with Reactor. */
  static final class LinesImpl implements Lines {
    @Override
    public Flux<String> lines(int count) {
      return Flux.range(0, count).map(i -> "line " + i);
    }

    @Override
    public Flux<String> late(long millis) {
      return Flux.just("late").delayElements(Duration.ofMillis(millis));
    }
  }

  /** The caller's Reactor view of {@link Ticks}, served with {@code Flow.Publisher}. */
  @RpcService("Ticks")
  public interface ReactiveTicks {
    @Endpoint
    Flux<Integer> endless();

    @Endpoint
    Flux<Integer> failAfter(int count, String message);
  }

  @Test
  void fluxEndpointStreams(RedisProcess redis) {
    try (RpcServer server =
            RpcServer.create(Lines.class, (Lines) new LinesImpl()).connect(redis.uri());
        RpcClient<Lines> client = RpcClient.create(Lines.class).connect(redis.uri())) {
      List<String> lines = client.proxy().lines(300).collectList().block(Duration.ofSeconds(30));

      assertThat(lines).hasSize(300).startsWith("line 0", "line 1").endsWith("line 299");
    }
  }

  @Test
  void keepAlivesKeepAQuietStreamOpenPastTheSilenceThatEndsADeadOne(RedisProcess redis) {
    long quiet = WireCodec.STREAM_SILENCE_MILLIS + 1_500;
    try (RpcServer server =
            RpcServer.create(Lines.class, (Lines) new LinesImpl()).connect(redis.uri());
        RpcClient<Lines> client =
            RpcClient.builder(Lines.class)
                .timeout(Duration.ofMinutes(1))
                .build()
                .connect(redis.uri())) {
      List<String> lines = client.proxy().late(quiet).collectList().block(Duration.ofSeconds(50));

      assertThat(lines).containsExactly("late");
    }
  }

  @Test
  void aFluxCallerThatTakesEnoughCancelsTheHandler(RedisProcess redis) throws Exception {
    KeptTickers impl = new KeptTickers();
    try (RpcServer server = RpcServer.create(Ticks.class, (Ticks) impl).connect(redis.uri());
        RpcClient<ReactiveTicks> client =
            RpcClient.create(ReactiveTicks.class).connect(redis.uri())) {
      List<Integer> first =
          client.proxy().endless().take(5).collectList().block(Duration.ofSeconds(30));

      assertThat(first).containsExactly(0, 1, 2, 3, 4);
      Ticker handler = impl.next();
      assertThat(handler.cancelled.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aFluxEndsWithTheHandlersError(RedisProcess redis) {
    try (RpcServer server =
            RpcServer.create(Ticks.class, (Ticks) new KeptTickers()).connect(redis.uri());
        RpcClient<ReactiveTicks> client =
            RpcClient.create(ReactiveTicks.class).connect(redis.uri())) {
      Flux<Integer> failing = client.proxy().failAfter(2, "enough");

      assertThatThrownBy(() -> failing.collectList().block(Duration.ofSeconds(30)))
          .isInstanceOf(RemoteException.class)
          .satisfies(
              e ->
                  assertThat(((RemoteException) e).code())
                      .isEqualTo(StatusCode.FAILED_PRECONDITION))
          .satisfies(e -> assertThat(((RemoteException) e).remoteMessage()).isEqualTo("enough"));
    }
  }
}
