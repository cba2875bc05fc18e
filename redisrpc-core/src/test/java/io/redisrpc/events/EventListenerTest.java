package io.redisrpc.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redisrpc.Endpoint;
import io.redisrpc.RemoteException;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Event listeners hear the phases of calls, with their times, on both sides. */
@WithRedis
class EventListenerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final List<String> CLIENT_PHASES =
      List.of("callStart", "requestEncoded", "requestEnqueued", "replyReceived");
  private static final List<String> SERVER_PHASES =
      List.of("requestTaken", "handlerStart", "handlerEnd", "replyPublished");

  @RpcService("Timed")
  public interface Timed {
    @Endpoint
    String echo(String text);

    @Endpoint
    CompletableFuture<String> echoLater(String text);

    @Endpoint
    String fail(String why);
  }

  static final Timed TIMED =
      new Timed() {
        @Override
        public String echo(String text) {
          return text;
        }

        @Override
        public CompletableFuture<String> echoLater(String text) {
          return CompletableFuture.completedFuture(text);
        }

        @Override
        public String fail(String why) {
          throw new IllegalStateException(why);
        }
      };

  @Test
  void eachCallGetsAListenerOfItsOwnThatHearsItsPhasesInOrderOnBothSides(RedisProcess redis) {
    try (Listened listened = new Listened(redis)) {
      RpcClient<Timed> client = listened.client;
      List<Recorder> clientSide = listened.clientSide;
      List<Recorder> serverSide = listened.serverSide;
      assertThat(client.proxy().echo("one")).isEqualTo("one");
      assertThat(client.proxy().echoLater("two").join()).isEqualTo("two");

      Awaitility.await()
          .atMost(WAIT)
          .until(
              () ->
                  serverSide.size() == 2
                      && serverSide.stream().allMatch(r -> r.phases.size() == 4)
                      && clientSide.stream().allMatch(r -> r.phases.size() == 5));
      assertThat(clientSide).hasSize(2);
      for (Recorder call : clientSide) {
        assertThat(call.names())
            .startsWith(CLIENT_PHASES.toArray(String[]::new))
            .endsWith("callEnd");
        assertInOrder(call);
        assertThat((Integer) call.phases.get(1).detail()).isGreaterThan(20);
      }
      for (Recorder call : serverSide) {
        assertThat(call.names()).containsExactlyElementsOf(SERVER_PHASES);
        assertThat(call.phases.get(2).detail()).as("handlerEnd without error").isNull();
        assertInOrder(call);
      }
      assertThat(clientSide.get(0).created.method()).isEqualTo("echo");
      assertThat(clientSide.get(1).created.method()).isEqualTo("echoLater");
    }
  }

  @Test
  void aFailedCallIsHeardWithTheErrorOnBothSides(RedisProcess redis) {
    try (Listened listened = new Listened(redis)) {
      RpcClient<Timed> client = listened.client;
      List<Recorder> clientSide = listened.clientSide;
      List<Recorder> serverSide = listened.serverSide;
      assertThatThrownBy(() -> client.proxy().fail("broken")).isInstanceOf(RemoteException.class);

      Awaitility.await()
          .atMost(WAIT)
          .until(
              () ->
                  serverSide.size() == 1
                      && serverSide.get(0).phases.size() == 4
                      && clientSide.get(0).phases.size() == 5);
      Recorder client1 = clientSide.get(0);
      assertThat(client1.names().get(4)).isEqualTo("callFailed");
      assertThat(client1.phases.get(4).detail()).isInstanceOf(RemoteException.class);
      Recorder server1 = serverSide.get(0);
      assertThat(server1.phases.get(2).detail())
          .isInstanceOf(IllegalStateException.class)
          .hasFieldOrPropertyWithValue("message", "broken");
    }
  }

  @Test
  void oneListenerForEveryCallHearsThemAll(RedisProcess redis) {
    Recorder everything = new Recorder(null);
    try (RpcServer server = RpcServer.create(Timed.class, TIMED).connect(redis.uri());
        RpcClient<Timed> client =
            RpcClient.builder(Timed.class).eventListener(everything).build().connect(redis.uri())) {
      for (int i = 0; i < 3; i++) {
        client.proxy().echo("x" + i);
      }
      Awaitility.await().atMost(WAIT).until(() -> everything.phases.size() == 15);
      assertThat(everything.names().stream().filter("callEnd"::equals)).hasSize(3);
    }
  }

  /** A server and a client of {@link Timed}, each giving every call a {@link Recorder}. */
  private static final class Listened implements AutoCloseable {
    final List<Recorder> clientSide = new CopyOnWriteArrayList<>();
    final List<Recorder> serverSide = new CopyOnWriteArrayList<>();
    final RpcServer server;
    final RpcClient<Timed> client;

    Listened(RedisProcess redis) {
      server =
          RpcServer.builder(Timed.class, TIMED)
              .eventListenerFactory(call -> add(serverSide, new Recorder(call)))
              .build()
              .connect(redis.uri());
      client =
          RpcClient.builder(Timed.class)
              .eventListenerFactory(call -> add(clientSide, new Recorder(call)))
              .build()
              .connect(redis.uri());
    }

    private static Recorder add(List<Recorder> all, Recorder recorder) {
      all.add(recorder);
      return recorder;
    }

    @Override
    public void close() {
      client.close();
      server.close();
    }
  }

  private static void assertInOrder(Recorder call) {
    for (int i = 1; i < call.phases.size(); i++) {
      assertThat(call.phases.get(i).nanoTime() - call.phases.get(i - 1).nanoTime())
          .as("%s after %s", call.phases.get(i).name(), call.phases.get(i - 1).name())
          .isGreaterThanOrEqualTo(0);
    }
  }
}
