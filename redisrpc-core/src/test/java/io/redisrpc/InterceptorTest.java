package io.redisrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

@WithRedis
class InterceptorTest {
  @RpcService("Headers")
  public interface Echo {
    @Endpoint
    Map<String, String> headers();

    @Endpoint
    long remainingMillis();
  }

  /** A second service the first one calls from inside its handler. */
  @RpcService("Front")
  public interface Front {
    @Endpoint
    long nestedRemainingMillis();
  }

  static final Echo ECHO =
      new Echo() {
        @Override
        public Map<String, String> headers() {
          return CallContext.current().headers().asMap();
        }

        @Override
        public long remainingMillis() {
          return CallContext.current().deadline().orElseThrow().remainingMillis();
        }
      };

  @Test
  void headersAddedByClientInterceptorAreSeenByServerInterceptorAndHandler(RedisProcess redis) {
    List<String> seenByServer = new CopyOnWriteArrayList<>();
    List<String> order = new CopyOnWriteArrayList<>();
    try (RpcServer server =
            RpcServer.builder(Echo.class, ECHO)
                .addInterceptor(
                    chain -> {
                      seenByServer.add(chain.call().headers().get("tenant").orElse("none"));
                      order.add("server");
                      return chain.proceed(chain.call().withHeader("server-added", "yes"));
                    })
                .build()
                .connect(redis.uri());
        RpcClient<Echo> client =
            RpcClient.builder(Echo.class)
                .addInterceptor(
                    chain -> {
                      order.add("client-1");
                      return chain.proceed(chain.call().withHeader("tenant", "acme"));
                    })
                .addInterceptor(
                    chain -> {
                      order.add("client-2");
                      assertThat(chain.call().headers().get("tenant")).contains("acme");
                      return chain.proceed(chain.call().withHeader("trace-id", "t-1"));
                    })
                .build()
                .connect(redis.uri())) {
      Map<String, String> headers = client.proxy().headers();
      assertThat(headers)
          .containsEntry("tenant", "acme")
          .containsEntry("trace-id", "t-1")
          .containsEntry("server-added", "yes");
      assertThat(seenByServer).containsExactly("acme");
      assertThat(order).containsExactly("client-1", "client-2", "server");
    }
  }

  @Test
  void interceptorCanShortCircuitAndFailCalls(RedisProcess redis) {
    try (RpcServer server =
            RpcServer.builder(Echo.class, ECHO)
                .addInterceptor(
                    chain -> {
                      if (chain.call().headers().get("token").isEmpty()) {
                        throw new RpcException(StatusCode.UNAUTHENTICATED, "token required");
                      }
                      return chain.proceed(chain.call());
                    })
                .build()
                .connect(redis.uri());
        RpcClient<Echo> anonymous = RpcClient.create(Echo.class).connect(redis.uri());
        RpcClient<Echo> cached =
            RpcClient.builder(Echo.class)
                .addInterceptor(chain -> CompletableFuture.completedFuture(Map.of("cached", "1")))
                .build()
                .connect(redis.uri())) {
      assertThatThrownBy(() -> anonymous.proxy().headers())
          .isInstanceOfSatisfying(
              RemoteException.class,
              e -> {
                assertThat(e.code()).isEqualTo(StatusCode.UNAUTHENTICATED);
                assertThat(e.remoteMessage()).isEqualTo("token required");
              });
      assertThat(cached.proxy().headers()).containsExactly(Map.entry("cached", "1"));
    }
  }

  @Test
  void handlerSeesTheCallersDeadline(RedisProcess redis) {
    try (RpcServer server = RpcServer.create(Echo.class, ECHO).connect(redis.uri());
        RpcClient<Echo> client =
            RpcClient.builder(Echo.class)
                .timeout(Duration.ofSeconds(4))
                .build()
                .connect(redis.uri())) {
      assertThat(client.proxy().remainingMillis()).isBetween(1L, 4_000L);
    }
  }

  @Test
  void aDeadlineAnInterceptorGivesTheCallIsTheOneTheCallHas(RedisProcess redis) {
    try (RpcServer server = RpcServer.create(Echo.class, ECHO).connect(redis.uri());
        RpcClient<Echo> client =
            RpcClient.builder(Echo.class)
                .timeout(Duration.ofMillis(500))
                .addInterceptor(
                    chain ->
                        chain.proceed(
                            chain.call().withDeadline(Deadline.after(Duration.ofMinutes(1)))))
                .build()
                .connect(redis.uri())) {
      // Sent with the interceptor's minute, not the client's half second, and waited for as long.
      assertThat(client.proxy().remainingMillis()).isBetween(30_000L, 60_000L);
    }
  }

  @Test
  void nestedCallInheritsTheRemainingDeadline(RedisProcess redis) {
    try (RpcServer back = RpcServer.create(Echo.class, ECHO).connect(redis.uri());
        RpcClient<Echo> inner =
            RpcClient.builder(Echo.class)
                .timeout(Duration.ofMinutes(5))
                .build()
                .connect(redis.uri());
        RpcServer front =
            RpcServer.create(Front.class, (Front) () -> inner.proxy().remainingMillis())
                .connect(redis.uri());
        RpcClient<Front> client =
            RpcClient.builder(Front.class)
                .timeout(Duration.ofSeconds(3))
                .build()
                .connect(redis.uri())) {
      // The inner client's own timeout is five minutes; the caller's three seconds win.
      assertThat(client.proxy().nestedRemainingMillis()).isBetween(1L, 3_000L);
    }
  }
}
