package io.redisrpc.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redisrpc.Endpoint;
import io.redisrpc.RemoteException;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.StatusCode;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/** Return types through call adapters: Reactor's Mono built in, and a type of the user's own. */
@WithRedis
public class CallAdapterTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RpcService("Reactive")
  public interface Reactive {
    @Endpoint
    Mono<String> greet(String name);

    @Endpoint
    Mono<Void> touch();

    @Endpoint
    Mono<String> hang();

    @Endpoint
    Mono<Integer> fail();
  }

  static final class ReactiveService implements Reactive {
    final AtomicInteger greetings = new AtomicInteger();
    final AtomicInteger touches = new AtomicInteger();
    final CountDownLatch hanging = new CountDownLatch(1);
    final CountDownLatch cancelled = new CountDownLatch(1);

    @Override
    public Mono<String> greet(String name) {
      return Mono.fromCallable(
          () -> {
            greetings.incrementAndGet();
            return "hello " + name;
          });
    }

    @Override
    public Mono<Void> touch() {
      return Mono.fromRunnable(touches::incrementAndGet);
    }

    @Override
    public Mono<String> hang() {
      hanging.countDown();
      return Mono.<String>never().doOnCancel(cancelled::countDown);
    }

    @Override
    public Mono<Integer> fail() {
      return Mono.error(new IllegalArgumentException("no number today"));
    }
  }

  @RpcService("Promised")
  public interface Promised {
    @Endpoint
    Promise<Integer> length(String text);

    @Endpoint
    Promise<String> upper(String text);

    @Endpoint
    String plain(String text);
  }

  /** A fresh implementation of {@link Reactive}. */
  public static Reactive reactiveService() {
    return new ReactiveService();
  }

  /** An implementation of {@link Promised}. */
  public static final Promised PROMISED =
      new Promised() {
        @Override
        public Promise<Integer> length(String text) {
          return Promise.of(text.length());
        }

        @Override
        public Promise<String> upper(String text) {
          return Promise.of(text.toUpperCase(java.util.Locale.ROOT));
        }

        @Override
        public String plain(String text) {
          return text;
        }
      };

  public interface Streaming {
    @Endpoint
    org.reactivestreams.Publisher<String> lines();
  }

  @SuppressWarnings("rawtypes")
  public interface RawPromise {
    @Endpoint
    Promise length(String text);
  }

  @Test
  void aMonoSendsItsCallOnEachSubscriptionAndNotBefore(RedisProcess redis) {
    ReactiveService service = new ReactiveService();
    try (RpcServer server = RpcServer.create(Reactive.class, service).connect(redis.uri());
        RpcClient<Reactive> client = RpcClient.create(Reactive.class).connect(redis.uri())) {
      Mono<String> greeting = client.proxy().greet("ada");
      assertThat(client.pendingCalls()).as("nothing sent before subscription").isZero();

      assertThat(greeting.block(WAIT)).isEqualTo("hello ada");
      assertThat(greeting.block(WAIT)).isEqualTo("hello ada");
      assertThat(service.greetings).hasValue(2);
    }
  }

  @Test
  void aMonoOfVoidCompletesEmptyOnceTheHandlerRan(RedisProcess redis) {
    ReactiveService service = new ReactiveService();
    try (RpcServer server = RpcServer.create(Reactive.class, service).connect(redis.uri());
        RpcClient<Reactive> client = RpcClient.create(Reactive.class).connect(redis.uri())) {
      assertThat(client.proxy().touch().blockOptional(WAIT)).isEmpty();
      assertThat(service.touches).hasValue(1);
    }
  }

  @Test
  void aFailedMonoOnTheServerFailsTheCallersMonoWithTheRemoteError(RedisProcess redis) {
    try (RpcServer server =
            RpcServer.create(Reactive.class, new ReactiveService()).connect(redis.uri());
        RpcClient<Reactive> client = RpcClient.create(Reactive.class).connect(redis.uri())) {
      assertThatThrownBy(() -> client.proxy().fail().block(WAIT))
          .isInstanceOf(RemoteException.class)
          .hasMessageContaining("no number today")
          .extracting(e -> ((RemoteException) e).code())
          .isEqualTo(StatusCode.INVALID_ARGUMENT);
    }
  }

  @Test
  void disposingTheCallersMonoCancelsTheServersMono(RedisProcess redis) throws Exception {
    ReactiveService service = new ReactiveService();
    try (RpcServer server = RpcServer.create(Reactive.class, service).connect(redis.uri());
        RpcClient<Reactive> client = RpcClient.create(Reactive.class).connect(redis.uri())) {
      Disposable call = client.proxy().hang().subscribe();
      assertThat(service.hanging.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

      call.dispose();

      assertThat(service.cancelled.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      Awaitility.await().atMost(WAIT).until(() -> client.pendingCalls() == 0);
    }
  }

  @Test
  void aFactoryOfTheUsersOwnAdaptsItsTypeOnClientAndServerOncePerEndpoint(RedisProcess redis)
      throws Exception {
    CountingFactory onServer = new CountingFactory(new PromiseAdapterFactory());
    CountingFactory onClient = new CountingFactory(new PromiseAdapterFactory());
    try (RpcServer server =
            RpcServer.builder(Promised.class, PROMISED)
                .addCallAdapterFactory(onServer)
                .build()
                .connect(redis.uri());
        RpcClient<Promised> client =
            RpcClient.builder(Promised.class)
                .addCallAdapterFactory(onClient)
                .build()
                .connect(redis.uri())) {
      Promised promised = client.proxy();
      assertThat(promised.length("four").await(WAIT)).isEqualTo(4);
      assertThat(promised.upper("abc").await(WAIT)).isEqualTo("ABC");
      assertThat(promised.length("seven!!").await(WAIT)).isEqualTo(7);
      assertThat(promised.plain("as it is")).isEqualTo("as it is");

      assertThat(onClient.adapted).as("decided when the client was built").hasValue(2);
      assertThat(onServer.adapted).as("decided when the server was built").hasValue(2);
    }
  }

  @Test
  void aReactiveStreamsPublisherFailsTheBuildNamingTheMethodAndSayingWhy() {
    assertThatThrownBy(() -> RpcClient.create(Streaming.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Unsupported return type org.reactivestreams.Publisher<java.lang.String> for method"
                + " Streaming.lines: Publisher is a Reactive Streams publisher: use Mono<T> for"
                + " one value, Flux<T> or Flow.Publisher<T> for a stream");
  }

  @Test
  void aFactoryThatRefusesItsOwnTypeFailsTheBuildWithItsReason() {
    assertThatThrownBy(
            () ->
                RpcClient.builder(RawPromise.class)
                    .addCallAdapterFactory(new PromiseAdapterFactory())
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Unsupported return type io.redisrpc.adapters.Promise for method"
                + " RawPromise.length: Promise needs a type argument");
  }
}
