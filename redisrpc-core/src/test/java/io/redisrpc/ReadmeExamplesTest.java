package io.redisrpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.redisrpc.adapters.CallAdapterTest;
import io.redisrpc.adapters.CallAdapterTest.Promised;
import io.redisrpc.adapters.CallAdapterTest.Reactive;
import io.redisrpc.adapters.PromiseAdapterFactory;
import io.redisrpc.codecs.CodecTest;
import io.redisrpc.codecs.CodecTest.Geometry;
import io.redisrpc.codecs.Point;
import io.redisrpc.codecs.PointCodec;
import io.redisrpc.events.RoundTrips;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The README's examples of return types, codecs, call options and event listeners: compiled and run
 * here, and shown verbatim there.
 */
@WithRedis
class ReadmeExamplesTest {
  /** A record of the README's Dropbox. */
  public record FileData(String name, byte[] data) {}

  /** The README's Dropbox, cut down to one endpoint. */
  @RpcService("Dropbox")
  public interface Dropbox {
    @Endpoint
    int uploadFile(FileData file);
  }

  /** Stores nothing; answers the size. */
  static final class DropboxService implements Dropbox {
    @Override
    public int uploadFile(FileData file) {
      return file.data().length;
    }
  }

  // README:streamService:begin
  @RpcService("Numbers")
  public interface Numbers {
    @Endpoint(timeoutMillis = 60_000) // the deadline of the whole stream
    Flux<Integer> upTo(int count); // or Flow.Publisher<Integer>, without Reactor
  }

  // README:streamService:end

  /** Counts with Reactor: its items are produced as the caller's credits allow. */
  static final class NumbersService implements Numbers {
    @Override
    public Flux<Integer> upTo(int count) {
      return Flux.range(0, count);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "ReadmeExamplesTest.java, streamService",
    "ReadmeExamplesTest.java, stream",
    "ReadmeExamplesTest.java, mono",
    "adapters/PromiseAdapterFactory.java, adapter",
    "ReadmeExamplesTest.java, adapterRegistration",
    "codecs/PointCodec.java, codec",
    "ReadmeExamplesTest.java, codecs",
    "ReadmeExamplesTest.java, options",
    "events/RoundTrips.java, listener",
    "ReadmeExamplesTest.java, listenerRegistration",
    "OneWayTest.java, oneWay",
    "topology/BroadcastTest.java, broadcast"
  })
  void theReadmeShowsTheExampleVerbatim(String file, String name) {
    String snippet = ReadmeSnippets.snippet(file, name);
    assertThat(ReadmeSnippets.readme().contains(snippet))
        .as("README.md shows, in a java block:%n%s", snippet)
        .isTrue();
  }

  @Test
  void streamExample(RedisProcess redis) {
    try (RpcServer server =
            RpcServer.create(Numbers.class, (Numbers) new NumbersService()).connect(redis.uri());
        RpcClient<Numbers> client = RpcClient.create(Numbers.class).connect(redis.uri())) {
      // README:stream:begin
      Flux<Integer> numbers = client.proxy().upTo(1_000_000); // nothing is sent yet
      List<Integer> first = numbers.take(10).collectList().block(Duration.ofSeconds(10));
      // the server produced what the caller's credits allowed, and take(10) cancelled its stream
      // README:stream:end
      assertThat(first).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }
  }

  @Test
  void monoExample(RedisProcess redis) {
    try (RpcServer server =
            RpcServer.create(Reactive.class, CallAdapterTest.reactiveService())
                .connect(redis.uri());
        RpcClient<Reactive> client = RpcClient.create(Reactive.class).connect(redis.uri())) {
      // README:mono:begin
      Mono<String> greeting = client.proxy().greet("ada"); // nothing is sent yet
      String text = greeting.block(Duration.ofSeconds(10)); // sent now, and on each subscription
      // README:mono:end
      assertThat(text).isEqualTo("hello ada");
    }
  }

  @Test
  void codecsExample(RedisProcess redis) {
    Geometry impl = CodecTest.GEOMETRY;
    // README:codecs:begin
    Codec json =
        JsonCodec.create(
            JsonCodec.defaultMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
    RpcServer server =
        RpcServer.builder(Geometry.class, impl)
            .addCodec(json) // instead of the built-in json: its requests are read with this mapper
            .addCodec(new PointCodec()) // and requests in "points" are read too
            .build();
    RpcClient<Geometry> client =
        RpcClient.builder(Geometry.class)
            .addCodec(new PointCodec()) // endpoints of Points alone: move(Point, Point), origin()
            .codec(json) // the others: describe(String)
            .build();
    // README:codecs:end
    try (server;
        client) {
      server.connect(redis.uri());
      client.connect(redis.uri());
      assertThat(client.proxy().move(new Point(1, 1), new Point(2, 2))).isEqualTo(new Point(3, 3));
      assertThat(client.proxy().describe("dot")).isEqualTo("a dot");
    }
  }

  @Test
  void callOptionsExample(RedisProcess redis) {
    try (RpcServer server =
            RpcServer.create(Dropbox.class, new DropboxService()).connect(redis.uri());
        RpcClient<Dropbox> client = RpcClient.create(Dropbox.class).connect(redis.uri())) {
      FileData file = new FileData("file1", new byte[] {1, 2, 3, 4});
      // README:options:begin
      CallOptions options =
          CallOptions.DEFAULT
              .withTimeout(Duration.ofSeconds(2)) // instead of the endpoint's or client's timeout
              .withHeader("tenant", "acme")
              .withIdempotencyKey("upload-" + file.name()); // runs once, however often it is sent
      Dropbox dropbox = client.withOptions(options).proxy();
      int size;
      try {
        size = dropbox.uploadFile(file);
      } catch (DeadlineExceededException e) {
        size = dropbox.uploadFile(file); // may have run: the retry gets the first result
      }
      // README:options:end
      assertThat(size).isEqualTo(4);
      assertThat(dropbox.uploadFile(file)).isEqualTo(4);
    }
  }

  @Test
  void eventListenerExample(RedisProcess redis) {
    try (RpcServer server =
        RpcServer.create(Dropbox.class, new DropboxService()).connect(redis.uri())) {
      // README:listenerRegistration:begin
      List<Duration> roundTrips = new CopyOnWriteArrayList<>();
      RpcClient<Dropbox> client =
          RpcClient.builder(Dropbox.class)
              .eventListenerFactory(call -> new RoundTrips(roundTrips)) // a listener per call
              .build();
      // README:listenerRegistration:end
      try (client) {
        client.connect(redis.uri());
        client.proxy().uploadFile(new FileData("f", new byte[1]));
        assertThat(roundTrips).hasSize(1);
        assertThat(roundTrips.get(0)).isPositive();
      }
    }
  }

  @Test
  void adapterRegistrationExample(RedisProcess redis) throws Exception {
    Promised impl = CallAdapterTest.PROMISED;
    // README:adapterRegistration:begin
    RpcServer server =
        RpcServer.builder(Promised.class, impl)
            .addCallAdapterFactory(new PromiseAdapterFactory())
            .build();
    RpcClient<Promised> client =
        RpcClient.builder(Promised.class)
            .addCallAdapterFactory(new PromiseAdapterFactory())
            .build();
    // README:adapterRegistration:end
    try (server;
        client) {
      server.connect(redis.uri());
      client.connect(redis.uri());
      assertThat(client.proxy().length("four").await(Duration.ofSeconds(10))).isEqualTo(4);
    }
  }
}
