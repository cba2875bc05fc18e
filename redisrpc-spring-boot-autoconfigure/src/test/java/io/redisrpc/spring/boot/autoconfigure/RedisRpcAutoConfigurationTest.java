package io.redisrpc.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisrpc.Codec;
import io.redisrpc.RedisRpc;
import io.redisrpc.RpcServer;
import io.redisrpc.spring.boot.RpcClientFactory;
import io.redisrpc.spring.boot.RpcServerLifecycle;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Conditions, back-off, property binding and the URI built from {@code spring.data.redis.*}. No
 * Redis is needed: a {@link RedisRpc} opens nothing until a client or server connects.
 */
class RedisRpcAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(RedisRpcAutoConfiguration.class));

  @Test
  void oneRedisRpcOnTheDefaultRedisOfSpringBoot() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(RedisRpc.class);
          assertThat(context).hasSingleBean(RpcClientFactory.class);
          assertThat(context).hasSingleBean(RpcServerLifecycle.class);
          RedisRpc redis = context.getBean(RedisRpc.class);
          assertThat(redis.uri()).isEqualTo("redis://localhost:6379");
          assertThat(redis.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
          assertThat(context.getBean(RpcClientFactory.class).redisRpc()).isSameAs(redis);
          assertThat(context.getBean(RpcServerLifecycle.class).redisRpc()).isSameAs(redis);
        });
  }

  @Test
  void nothingWhenDisabled() {
    runner
        .withPropertyValues("redisrpc.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(RedisRpc.class);
              assertThat(context).doesNotHaveBean(RpcClientFactory.class);
              assertThat(context).doesNotHaveBean(RpcServerLifecycle.class);
            });
  }

  @Test
  void nothingWithoutRedisrpcCoreOnTheClassPath() {
    runner
        .withClassLoader(new FilteredClassLoader(RedisRpc.class))
        .run(context -> assertThat(context).doesNotHaveBean(RedisRpcProperties.class));
  }

  @Test
  void noServersWhenServingIsDisabled() {
    runner
        .withPropertyValues("redisrpc.server.enabled=false")
        .run(
            context -> {
              assertThat(context).hasSingleBean(RedisRpc.class);
              assertThat(context).doesNotHaveBean(RpcServerLifecycle.class);
            });
  }

  @Test
  void backsOffWhenTheApplicationDefinesItsRedisRpc() {
    runner
        .withUserConfiguration(OwnRedisRpc.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(RedisRpc.class);
              RedisRpc own = context.getBean(RedisRpc.class);
              assertThat(own.uri()).isEqualTo("redis://own.example:6400");
              assertThat(context.getBean(RpcClientFactory.class).redisRpc()).isSameAs(own);
              assertThat(context.getBean(RpcServerLifecycle.class).redisRpc()).isSameAs(own);
            });
  }

  @Test
  void usesTheConnectionDetailsTheApplicationDefines() {
    runner
        .withUserConfiguration(OwnConnectionDetails.class)
        .withPropertyValues("spring.data.redis.host=ignored.example")
        .run(
            context ->
                assertThat(context.getBean(RedisRpc.class).uri())
                    .isEqualTo("redis-cluster://details.example:7000"));
  }

  @Test
  void redisUrlWinsOverSpringDataRedis() {
    runner
        .withPropertyValues(
            "redisrpc.redis-url=redis://rpc.example:6390/2",
            "spring.data.redis.host=data.example",
            "spring.data.redis.cluster.nodes=a:1,b:2")
        .run(
            context ->
                assertThat(context.getBean(RedisRpc.class).uri())
                    .isEqualTo("redis://rpc.example:6390/2"));
  }

  @Test
  void bindsTheRootsOptions() {
    runner
        .withPropertyValues("redisrpc.connect-timeout=3s", "redisrpc.topology-refresh=500ms")
        .run(
            context -> {
              RedisRpcProperties properties = context.getBean(RedisRpcProperties.class);
              assertThat(properties.getTopologyRefresh()).isEqualTo(Duration.ofMillis(500));
              assertThat(context.getBean(RedisRpc.class).connectTimeout())
                  .isEqualTo(Duration.ofSeconds(3));
            });
  }

  @Test
  void bindsDefaultAndPerServiceClientSettings() {
    runner
        .withPropertyValues(
            "redisrpc.client.default.timeout=5s",
            "redisrpc.client.default.codec=msgpack",
            "redisrpc.client.Dropbox.timeout=2s",
            "redisrpc.client.[orders.v2].codec=json")
        .run(
            context -> {
              RedisRpcProperties properties = context.getBean(RedisRpcProperties.class);
              RedisRpcProperties.Client dropbox = properties.clientFor("Dropbox");
              assertThat(dropbox.getTimeout()).isEqualTo(Duration.ofSeconds(2));
              assertThat(dropbox.getCodec().codec()).isEqualTo(Codec.MSGPACK);
              RedisRpcProperties.Client orders = properties.clientFor("orders.v2");
              assertThat(orders.getTimeout()).isEqualTo(Duration.ofSeconds(5));
              assertThat(orders.getCodec().codec()).isEqualTo(Codec.JSON);
              RedisRpcProperties.Client other = properties.clientFor("Other");
              assertThat(other.getTimeout()).isEqualTo(Duration.ofSeconds(5));
            });
  }

  @Test
  void clientSettingsAreUnsetByDefault() {
    runner.run(
        context -> {
          RedisRpcProperties.Client settings =
              context.getBean(RedisRpcProperties.class).clientFor("Dropbox");
          assertThat(settings.getTimeout()).isNull();
          assertThat(settings.getCodec()).isNull();
        });
  }

  @Test
  void bindsServerSettings() {
    runner
        .withPropertyValues(
            "redisrpc.server.max-concurrency=16", "redisrpc.server.shutdown-timeout=7s")
        .run(
            context -> {
              RedisRpcProperties.Server server =
                  context.getBean(RedisRpcProperties.class).getServer();
              assertThat(server.getMaxConcurrency()).isEqualTo(16);
              assertThat(server.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(7));
            });
  }

  @Test
  void serverDefaultsAreRedisrpcs() {
    assertThat(new RedisRpcProperties().getServer().getMaxConcurrency())
        .isEqualTo(RpcServer.DEFAULT_MAX_CONCURRENCY);
  }

  @Test
  void serversStopInTheWebServersGracefulShutdownPhase() {
    runner.run(
        context -> {
          RpcServerLifecycle lifecycle = context.getBean(RpcServerLifecycle.class);
          // WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE in Spring Boot 4.0.
          assertThat(lifecycle.getPhase())
              .isEqualTo(SmartLifecycle.DEFAULT_PHASE - 1024)
              .isEqualTo(2147482623);
          assertThat(lifecycle.isAutoStartup()).isTrue();
          assertThat(lifecycle.isRunning()).isTrue();
          assertThat(lifecycle.servers()).isEmpty();
        });
  }

  @Test
  void appliesRedisRpcBuilderCustomizers() {
    runner
        .withBean(
            RedisRpcBuilderCustomizer.class,
            () -> builder -> builder.connectTimeout(Duration.ofMillis(1234)))
        .run(
            context ->
                assertThat(context.getBean(RedisRpc.class).connectTimeout())
                    .isEqualTo(Duration.ofMillis(1234)));
  }

  /** With Spring Data Redis: the Redis of Spring Boot's DataRedisConnectionDetails. */
  @Nested
  class SpringDataRedisConnectionDetails {
    @Test
    void aServiceConnectionsStandaloneRedis() {
      runner
          .withBean(DataRedisConnectionDetails.class, () -> standalone(2, "s3cret"))
          .withPropertyValues("spring.data.redis.host=ignored.example")
          .run(
              context -> {
                RedisRpcConnectionDetails details =
                    context.getBean(RedisRpcConnectionDetails.class);
                assertThat(details.getUri()).isEqualTo("redis://container.example:32768/2");
                assertThat(details.getUsername()).isNull();
                assertThat(details.getPassword()).isEqualTo("s3cret");
              });
    }

    @Test
    void sentinelAndCluster() {
      List<DataRedisConnectionDetails.Node> nodes =
          List.of(
              new DataRedisConnectionDetails.Node("n1.example", 1),
              new DataRedisConnectionDetails.Node("n2.example", 2));
      runner
          .withBean(
              DataRedisConnectionDetails.class,
              () ->
                  new DataRedisConnectionDetails() {
                    @Override
                    public Sentinel getSentinel() {
                      return new Sentinel() {
                        @Override
                        public int getDatabase() {
                          return 3;
                        }

                        @Override
                        public String getMaster() {
                          return "primary";
                        }

                        @Override
                        public List<Node> getNodes() {
                          return nodes;
                        }

                        @Override
                        public String getUsername() {
                          return null;
                        }

                        @Override
                        public String getPassword() {
                          return null;
                        }
                      };
                    }
                  })
          .run(
              context ->
                  assertThat(context.getBean(RedisRpc.class).uri())
                      .isEqualTo("redis-sentinel://n1.example:1,n2.example:2/3#primary"));
      runner
          .withBean(
              DataRedisConnectionDetails.class,
              () ->
                  new DataRedisConnectionDetails() {
                    @Override
                    public Cluster getCluster() {
                      return () -> nodes;
                    }
                  })
          .run(
              context ->
                  assertThat(context.getBean(RedisRpc.class).uri())
                      .isEqualTo("redis-cluster://n1.example:1,n2.example:2"));
    }

    @Test
    void springBootsOwnFromItsProperties() {
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  DataRedisAutoConfiguration.class, RedisRpcAutoConfiguration.class))
          .withPropertyValues(
              "spring.data.redis.cluster.nodes=n1.example:7000,n2.example:7001",
              "spring.data.redis.username=app",
              "spring.data.redis.password=s3cret")
          .run(
              context -> {
                assertThat(context).hasSingleBean(DataRedisConnectionDetails.class);
                RedisRpcConnectionDetails details =
                    context.getBean(RedisRpcConnectionDetails.class);
                assertThat(details.getUri())
                    .isEqualTo("redis-cluster://n1.example:7000,n2.example:7001");
                assertThat(details.getUsername()).isEqualTo("app");
                assertThat(details.getPassword()).isEqualTo("s3cret");
              });
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  DataRedisAutoConfiguration.class, RedisRpcAutoConfiguration.class))
          .withPropertyValues("spring.data.redis.url=rediss://app:s3cret@tls.example:6380")
          .run(
              context ->
                  assertThat(context.getBean(RedisRpc.class).uri())
                      .isEqualTo("rediss://app:***@tls.example:6380"));
    }

    @Test
    void redisUrlStillWins() {
      runner
          .withBean(DataRedisConnectionDetails.class, () -> standalone(0, null))
          .withPropertyValues("redisrpc.redis-url=redis://rpc.example:6390")
          .run(
              context ->
                  assertThat(context.getBean(RedisRpc.class).uri())
                      .isEqualTo("redis://rpc.example:6390"));
    }

    /**
     * What a service connection (Testcontainers, Docker Compose) gives: container.example:32768.
     */
    private static DataRedisConnectionDetails standalone(int database, String password) {
      return new DataRedisConnectionDetails() {
        @Override
        public String getPassword() {
          return password;
        }

        @Override
        public Standalone getStandalone() {
          return Standalone.of("container.example", 32768, database);
        }
      };
    }

    @Test
    void withoutSpringDataRedisThePropertiesAreReadDirectly() {
      runner
          .withClassLoader(new FilteredClassLoader(DataRedisConnectionDetails.class))
          .withPropertyValues("spring.data.redis.host=direct.example")
          .run(
              context ->
                  assertThat(context.getBean(RedisRpc.class).uri())
                      .isEqualTo("redis://direct.example:6379"));
    }
  }

  /** The URI built from {@code spring.data.redis.*}, as Spring Boot reads them. */
  @Nested
  class SpringDataRedisProperties {
    @Test
    void singleNode() {
      runner
          .withPropertyValues(
              "spring.data.redis.host=cache.example",
              "spring.data.redis.port=6380",
              "spring.data.redis.database=3",
              "spring.data.redis.username=app",
              "spring.data.redis.password=s3cret")
          .run(
              context -> {
                assertThat(context.getBean(RedisRpc.class).uri())
                    .isEqualTo("redis://cache.example:6380/3");
                RedisRpcConnectionDetails details =
                    context.getBean(RedisRpcConnectionDetails.class);
                assertThat(details.getUsername()).isEqualTo("app");
                assertThat(details.getPassword()).isEqualTo("s3cret");
              });
    }

    @Test
    void singleNodeWithTls() {
      runner
          .withPropertyValues(
              "spring.data.redis.host=cache.example", "spring.data.redis.ssl.enabled=true")
          .run(
              context ->
                  assertThat(context.getBean(RedisRpc.class).uri())
                      .isEqualTo("rediss://cache.example:6379"));
    }

    @Test
    void anSslBundleMeansTls() {
      runner
          .withPropertyValues("spring.data.redis.ssl.bundle=redis")
          .run(
              context ->
                  assertThat(context.getBean(RedisRpc.class).uri())
                      .isEqualTo("rediss://localhost:6379"));
    }

    @Test
    void url() {
      runner
          .withPropertyValues(
              "spring.data.redis.url=redis://app:s3cret@cache.example:6381/4",
              "spring.data.redis.host=ignored.example")
          .run(
              context -> {
                assertThat(context.getBean(RedisRpc.class).uri())
                    .isEqualTo("redis://app:***@cache.example:6381/4");
                assertThat(context.getBean(RedisRpcConnectionDetails.class).getPassword()).isNull();
              });
    }

    @Test
    void cluster() {
      runner
          .withPropertyValues(
              "spring.data.redis.cluster.nodes=n1.example:7000, n2.example:7001,n3.example:7002",
              "spring.data.redis.password=s3cret",
              "spring.data.redis.database=5")
          .run(
              context -> {
                RedisRpc redis = context.getBean(RedisRpc.class);
                assertThat(redis.uri())
                    .isEqualTo("redis-cluster://n1.example:7000,n2.example:7001,n3.example:7002");
                assertThat(redis.isCluster()).isTrue();
                RedisRpcConnectionDetails details =
                    context.getBean(RedisRpcConnectionDetails.class);
                assertThat(details.getUsername()).isNull();
                assertThat(details.getPassword()).isEqualTo("s3cret");
              });
    }

    @Test
    void clusterWithTlsAndTheCredentialsOfTheUrl() {
      runner
          .withPropertyValues(
              "spring.data.redis.cluster.nodes=n1.example:7000",
              "spring.data.redis.url=redis://app:fr%40m@ignored.example:6379",
              "spring.data.redis.ssl.enabled=true")
          .run(
              context -> {
                assertThat(context.getBean(RedisRpc.class).uri())
                    .isEqualTo("rediss-cluster://n1.example:7000");
                RedisRpcConnectionDetails details =
                    context.getBean(RedisRpcConnectionDetails.class);
                assertThat(details.getUsername()).isEqualTo("app");
                assertThat(details.getPassword()).isEqualTo("fr@m");
              });
    }

    @Test
    void sentinel() {
      runner
          .withPropertyValues(
              "spring.data.redis.sentinel.master=mymaster",
              "spring.data.redis.sentinel.nodes=s1.example:26379,s2.example:26380",
              "spring.data.redis.database=1",
              "spring.data.redis.username=app",
              "spring.data.redis.password=s3c:r@t",
              "spring.data.redis.cluster.nodes=ignored.example:7000")
          .run(
              context -> {
                RedisRpcConnectionDetails details =
                    context.getBean(RedisRpcConnectionDetails.class);
                assertThat(details.getUri())
                    .isEqualTo("redis-sentinel://s1.example:26379,s2.example:26380/1#mymaster");
                assertThat(details.getPassword()).isEqualTo("s3c:r@t");
                // The credentials travel in the URI (percent-encoded), shown without the password.
                assertThat(context.getBean(RedisRpc.class).uri())
                    .isEqualTo(
                        "redis-sentinel://app:***@s1.example:26379,s2.example:26380/1#mymaster");
              });
    }

    @Test
    void sentinelWithoutNodesFailsClearly() {
      runner
          .withPropertyValues("spring.data.redis.sentinel.master=mymaster")
          .run(
              context ->
                  assertThat(context)
                      .getFailure()
                      .rootCause()
                      .hasMessageContaining("spring.data.redis.sentinel.nodes"));
    }

    @Test
    void masterReplicaIsRefusedClearly() {
      runner
          .withPropertyValues("spring.data.redis.masterreplica.nodes=a.example:6379")
          .run(
              context ->
                  assertThat(context)
                      .getFailure()
                      .rootCause()
                      .hasMessageContaining("masterreplica")
                      .hasMessageContaining("redisrpc.redis-url"));
    }
  }

  @Test
  void sentinelCredentialsArePercentEncodedIntoTheUri() {
    assertThat(
            RedisRpcAutoConfiguration.withUserInfo(
                "redis-sentinel://old@s1:26379,s2:26380/1#m", "a b", "p@ss:w/rd#"))
        .isEqualTo("redis-sentinel://a%20b:p%40ss%3Aw%2Frd%23@s1:26379,s2:26380/1#m");
    assertThat(RedisRpcAutoConfiguration.withUserInfo("redis-sentinel://s1:26379#m", null, "pw"))
        .isEqualTo("redis-sentinel://pw@s1:26379#m");
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnRedisRpc {
    @Bean
    RedisRpc ownRedisRpc() {
      return RedisRpc.create("redis://own.example:6400");
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnConnectionDetails {
    @Bean
    RedisRpcConnectionDetails ownDetails() {
      return () -> "redis-cluster://details.example:7000";
    }
  }
}
