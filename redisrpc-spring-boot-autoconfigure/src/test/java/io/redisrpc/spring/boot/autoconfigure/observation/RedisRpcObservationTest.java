package io.redisrpc.spring.boot.autoconfigure.observation;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.redisrpc.examples.dropbox.Dropbox;
import io.redisrpc.micrometer.DefaultRpcClientObservationConvention;
import io.redisrpc.micrometer.DefaultRpcServerObservationConvention;
import io.redisrpc.micrometer.ObservationClientInterceptor;
import io.redisrpc.spring.boot.DropboxServedAndCalled;
import io.redisrpc.spring.boot.RpcClientCustomizer;
import io.redisrpc.spring.boot.RpcServerCustomizer;
import io.redisrpc.spring.boot.autoconfigure.RedisRpcAutoConfiguration;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Calls observed through the application's ObservationRegistry, when redisrpc-micrometer is. */
@WithRedis
class RedisRpcObservationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ObservationAutoConfiguration.class,
                  RedisRpcAutoConfiguration.class,
                  RedisRpcObservationAutoConfiguration.class));

  @Test
  void interceptorsOnSpringBootsObservationRegistry() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(ObservationRegistry.class);
          assertThat(context).hasBean("redisRpcClientObservationCustomizer");
          assertThat(context).hasBean("redisRpcServerObservationCustomizer");
        });
  }

  @Test
  void nothingWithoutAnObservationRegistry() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                RedisRpcAutoConfiguration.class, RedisRpcObservationAutoConfiguration.class))
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(RpcClientCustomizer.class);
              assertThat(context).doesNotHaveBean(RpcServerCustomizer.class);
            });
  }

  @Test
  void nothingWithoutRedisrpcMicrometer() {
    runner
        .withClassLoader(new FilteredClassLoader(ObservationClientInterceptor.class))
        .run(
            context -> {
              assertThat(context).hasSingleBean(ObservationRegistry.class);
              assertThat(context).doesNotHaveBean(RpcClientCustomizer.class);
              assertThat(context).doesNotHaveBean(RpcServerCustomizer.class);
            });
  }

  @Test
  void backsOffWhenTheApplicationDefinesItsCustomizers() {
    runner
        .withBean(
            "redisRpcClientObservationCustomizer",
            RpcClientCustomizer.class,
            () -> (builder, service) -> {})
        .run(context -> assertThat(context.getBeansOfType(RpcClientCustomizer.class)).hasSize(1));
  }

  @Test
  void callsAreObservedOnBothSidesInTheApplicationsOwnRegistry(RedisProcess redis) {
    TestObservationRegistry registry = TestObservationRegistry.create();
    runner
        .withBean(ObservationRegistry.class, () -> registry)
        .withUserConfiguration(DropboxServedAndCalled.class)
        .withPropertyValues("redisrpc.redis-url=" + redis.uri())
        .run(
            context -> {
              assertThat(context.getBean(ObservationRegistry.class)).isSameAs(registry);
              assertThat(context.getBean(Dropbox.class).getFileNames()).isEmpty();
              for (String name :
                  new String[] {
                    DefaultRpcClientObservationConvention.NAME,
                    DefaultRpcServerObservationConvention.NAME
                  }) {
                Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(
                        () ->
                            assertThat(registry)
                                .hasObservationWithNameEqualTo(name)
                                .that()
                                .hasBeenStopped()
                                .hasContextualNameEqualTo("Dropbox/getFileNames")
                                .hasLowCardinalityKeyValue("rpc.service", "Dropbox"));
              }
            });
  }
}
