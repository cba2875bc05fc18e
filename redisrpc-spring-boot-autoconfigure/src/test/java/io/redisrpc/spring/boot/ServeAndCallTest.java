package io.redisrpc.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisrpc.Codec;
import io.redisrpc.NotConnectedException;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcRegistry;
import io.redisrpc.RpcServer;
import io.redisrpc.examples.dropbox.Dropbox;
import io.redisrpc.examples.dropbox.DropboxService;
import io.redisrpc.examples.dropbox.FileData;
import io.redisrpc.spring.boot.autoconfigure.RedisRpcAutoConfiguration;
import io.redisrpc.spring.boot.scanned.Clock;
import io.redisrpc.spring.boot.scanned.Greeter;
import io.redisrpc.spring.boot.scanned.NotAService;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

/** Serving {@link ServeRpc} beans and calling {@link EnableRpcClients} proxies through Redis. */
@WithRedis
class ServeAndCallTest {
  private ApplicationContextRunner runner;
  private String uri;

  @BeforeEach
  void redis(RedisProcess redis) {
    uri = redis.uri();
    runner =
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RedisRpcAutoConfiguration.class))
            .withPropertyValues("redisrpc.redis-url=" + uri);
  }

  @Test
  void servesABeanMethodAndCallsItThroughThePrimaryProxy() {
    runner
        .withUserConfiguration(DropboxServedAndCalled.class)
        .run(
            context -> {
              Dropbox dropbox = context.getBean(Dropbox.class);
              assertThat(Proxy.isProxyClass(dropbox.getClass())).isTrue();
              assertThat(dropbox.uploadFile(new FileData("a", bytes("1234")))).isEqualTo(4);
              assertThat(dropbox.getFileNames()).containsExactly("a");
              assertThat(dropbox.countFiles().get(10, TimeUnit.SECONDS)).isEqualTo(1);
              // The call reached the served bean.
              assertThat(context.getBean(DropboxService.class).getFileNames()).containsExactly("a");
              RpcServerLifecycle servers = context.getBean(RpcServerLifecycle.class);
              assertThat(servers.servers())
                  .extracting(RpcServer::serviceName)
                  .containsExactly("Dropbox");
            });
  }

  @Test
  void servesAnnotatedComponentsAndScansForClients() {
    runner
        .withUserConfiguration(ScannedClients.class, GreeterComponent.class, ClockComponent.class)
        .run(
            context -> {
              assertThat(context.getBean(Greeter.class).greet("Ada")).isEqualTo("Hello, Ada");
              assertThat(context.getBean(Clock.class).now()).isEqualTo(42L);
              assertThat(context.containsBean(NotAService.class.getName())).isFalse();
              assertThat(context.getBean(NotAService.class).name()).isEqualTo("clock");
              assertThat(context.getBean(RpcServerLifecycle.class).servers())
                  .extracting(RpcServer::serviceName)
                  .containsExactlyInAnyOrder("Greeter", "Clock");
            });
  }

  @Test
  void appliesPerServiceAndDefaultClientProperties() {
    runner
        .withUserConfiguration(ScannedClients.class, GreeterComponent.class, ClockComponent.class)
        .withPropertyValues(
            "redisrpc.client.default.timeout=3s",
            "redisrpc.client.Greeter.timeout=1500ms",
            "redisrpc.client.Greeter.codec=msgpack")
        .run(
            context -> {
              RpcClient<?> greeter = clientOf(context, Greeter.class);
              assertThat(greeter.timeout()).isEqualTo(Duration.ofMillis(1500));
              assertThat(greeter.codec()).isEqualTo(Codec.MSGPACK);
              RpcClient<?> clock = clientOf(context, Clock.class);
              assertThat(clock.timeout()).isEqualTo(Duration.ofSeconds(3));
              assertThat(clock.codec()).isEqualTo(Codec.JSON);
              // MessagePack both ways.
              assertThat(context.getBean(Greeter.class).greet("Bob")).isEqualTo("Hello, Bob");
            });
  }

  @Test
  void appliesServerPropertiesAndCustomizers() {
    runner
        .withUserConfiguration(DropboxServedAndCalled.class)
        .withPropertyValues("redisrpc.server.max-concurrency=3")
        .withBean(
            "tenant",
            RpcClientCustomizer.class,
            () ->
                (builder, service) ->
                    builder.addInterceptor(
                        chain -> chain.proceed(chain.call().withHeader("tenant", "acme"))))
        .withBean(
            "requireTenant",
            RpcServerCustomizer.class,
            () ->
                (builder, service) ->
                    builder.addInterceptor(
                        chain -> {
                          if (chain.call().headers().get("tenant").isEmpty()) {
                            throw new IllegalStateException("tenant required");
                          }
                          return chain.proceed(chain.call());
                        }))
        .run(
            context -> {
              assertThat(context.getBean(Dropbox.class).getFileNames()).isEmpty();
              RpcServer server = context.getBean(RpcServerLifecycle.class).servers().get(0);
              assertThat(server.stats().maxConcurrency()).isEqualTo(3);
            });
  }

  @Test
  void closingTheContextDrainsCallsInFlightThenWithdrawsThenClosesClientsThenTheRoot()
      throws Exception {
    Latched.Impl impl = new Latched.Impl();
    ConfigurableApplicationContext[] holder = new ConfigurableApplicationContext[1];
    runner
        .withUserConfiguration(LatchedClient.class)
        .withBean("latched", Latched.Impl.class, () -> impl)
        .withPropertyValues("redisrpc.server.shutdown-timeout=20s")
        .run(
            context -> {
              holder[0] = context.getSourceApplicationContext();
              Latched latched = context.getBean(Latched.class);
              RpcServer server = context.getBean(RpcServerLifecycle.class).servers().get(0);
              RpcClient<?> client = clientOf(context, Latched.class);
              CompletableFuture<String> call =
                  CompletableFuture.supplyAsync(() -> latched.await("x"));
              Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.inFlight() == 1);
              // Earlier tests' keep-alive threads end shortly after their contexts closed.
              Awaitility.await()
                  .atMost(Duration.ofSeconds(10))
                  .until(() -> keepAliveThreads().size() == 1);

              CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> holder[0].close());
              // Stopped taking calls and withdrawn at once, while the call still runs.
              try (RpcRegistry registry = RpcRegistry.connect(uri, Duration.ofSeconds(2))) {
                Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> registry.instances("Latched").isEmpty());
              }
              assertThat(closed).isNotDone();
              assertThat(call).isNotDone();

              impl.release.countDown();
              assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("released x");
              closed.get(20, TimeUnit.SECONDS);
              assertThat(server.isRunning()).isFalse();
              assertThat(client.isConnected()).isFalse();
              Awaitility.await()
                  .atMost(Duration.ofSeconds(10))
                  .until(() -> keepAliveThreads().isEmpty());
            });
  }

  @Test
  void aServeRpcBeanWithoutAServiceInterfaceFailsTheStart() {
    runner
        .withUserConfiguration(NotServable.class)
        .run(
            context ->
                assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .hasMessageContaining("@ServeRpc bean 'notServable'")
                    .hasMessageContaining("implements no service interface"));
  }

  @Test
  void enableRpcClientsRefusesAnInterfaceThatIsNoService() {
    runner
        .withUserConfiguration(NoServiceClient.class)
        .run(
            context ->
                assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .hasMessageContaining(NotAService.class.getName())
                    .hasMessageContaining("is not a service interface"));
  }

  @Test
  void anUnreachableRedisFailsTheStartNamingTheAddress() {
    String nowhere = "redis://127.0.0.1:" + RedisProcess.freePort();
    runner
        .withUserConfiguration(DropboxServedAndCalled.class)
        .withPropertyValues("redisrpc.redis-url=" + nowhere, "redisrpc.connect-timeout=1s")
        .run(
            context -> {
              Throwable failure = context.getStartupFailure();
              while (failure != null && !(failure instanceof NotConnectedException)) {
                failure = failure.getCause();
              }
              assertThat(failure)
                  .isInstanceOf(NotConnectedException.class)
                  .hasMessageContaining(nowhere.substring("redis://".length()));
            });
  }

  @Test
  void nothingIsServedWhenServingIsDisabled() {
    runner
        .withUserConfiguration(DropboxServedAndCalled.class)
        .withPropertyValues("redisrpc.server.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(RpcServerLifecycle.class);
              try (RpcRegistry registry = RpcRegistry.connect(uri, Duration.ofSeconds(2))) {
                assertThat(registry.instances("Dropbox")).isEmpty();
              }
            });
  }

  private static RpcClient<?> clientOf(
      org.springframework.context.ApplicationContext context, Class<?> service) {
    return ((RpcClientFactoryBean<?>) context.getBean("&" + service.getName())).client();
  }

  /** The live non-daemon threads that keep the JVM of a serving application alive. */
  private static java.util.List<Thread> keepAliveThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("redisrpc-keep-alive") && t.isAlive() && !t.isDaemon())
        .toList();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableRpcClients(basePackageClasses = Greeter.class)
  static class ScannedClients {}

  @ServeRpc
  static class GreeterComponent implements Greeter {
    @Override
    public String greet(String name) {
      return "Hello, " + name;
    }
  }

  @ServeRpc(Clock.class)
  static class ClockComponent implements Clock, NotAService {
    @Override
    public long now() {
      return 42L;
    }

    @Override
    public String name() {
      return "clock";
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableRpcClients(clients = Latched.class)
  static class LatchedClient {}

  @Configuration(proxyBeanMethods = false)
  static class NotServable {
    @Bean
    @ServeRpc
    NotAService notServable() {
      return () -> "nothing";
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableRpcClients(clients = NotAService.class)
  static class NoServiceClient {}
}
