package io.redisrpc.spring.boot.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisrpc.examples.dropbox.Dropbox;
import io.redisrpc.spring.boot.DropboxServedAndCalled;
import io.redisrpc.spring.boot.autoconfigure.RedisRpcAutoConfiguration;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The health indicator: when it exists, and what it says about Redis and the served services. */
@WithRedis
class RedisRpcHealthTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  RedisRpcAutoConfiguration.class,
                  RedisRpcHealthContributorAutoConfiguration.class));

  @Test
  void anIndicatorWhenTheHealthModuleIsOnTheClassPath() {
    runner.run(context -> assertThat(context).hasSingleBean(RedisRpcHealthIndicator.class));
  }

  @Test
  void noIndicatorWithoutTheHealthModule() {
    runner
        .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
        .run(context -> assertThat(context).doesNotHaveBean(RedisRpcHealthIndicator.class));
  }

  @Test
  void noIndicatorWhenDisabled() {
    runner
        .withPropertyValues("management.health.redisrpc.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(RedisRpcHealthIndicator.class));
    runner
        .withPropertyValues("management.health.defaults.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(RedisRpcHealthIndicator.class));
  }

  @Test
  void noIndicatorWithoutRedisrpc() {
    runner
        .withPropertyValues("redisrpc.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(RedisRpcHealthIndicator.class));
  }

  @Test
  void backsOffWhenTheApplicationDefinesItsIndicator() {
    runner
        .withBean("redisRpcHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
        .run(context -> assertThat(context).doesNotHaveBean(RedisRpcHealthIndicator.class));
  }

  @Test
  @SuppressWarnings("unchecked")
  void upWithEachServedServiceRegisteredAndItsQueue(RedisProcess redis) {
    runner
        .withUserConfiguration(DropboxServedAndCalled.class)
        .withPropertyValues("redisrpc.redis-url=" + redis.uri())
        .run(
            context -> {
              assertThat(context.getBean(Dropbox.class).getFileNames()).isEmpty();
              Health health = context.getBean(RedisRpcHealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails()).containsEntry("uri", redis.uri());
              Map<String, Object> dropbox =
                  (Map<String, Object>)
                      ((Map<String, Object>) health.getDetails().get("served")).get("Dropbox");
              assertThat(dropbox)
                  .containsEntry("registered", true)
                  .containsEntry("instances", 1)
                  .containsEntry("inFlight", 0)
                  .containsKey("instance");
              assertThat((Map<String, Object>) dropbox.get("queue"))
                  .containsEntry("waiting", 0L)
                  .containsEntry("running", 0L)
                  .containsKey("length");
              assertThat((Map<String, Object>) health.getDetails().get("called"))
                  .containsEntry("Dropbox", Map.of("instances", 1));
            });
  }

  @Test
  void downWhenRedisDoesNotAnswer() {
    runner
        .withPropertyValues(
            "redisrpc.redis-url=redis://127.0.0.1:" + RedisProcess.freePort(),
            "redisrpc.connect-timeout=1s")
        .run(
            context -> {
              Health health = context.getBean(RedisRpcHealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.DOWN);
              assertThat(health.getDetails()).containsKey("error");
            });
  }
}
