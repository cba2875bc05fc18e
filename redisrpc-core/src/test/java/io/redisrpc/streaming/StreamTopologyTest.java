package io.redisrpc.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisrpc.Endpoint;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.topology.OnEveryTopology;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Credits and cancellations reach the server that runs a stream on one node and in a cluster
 * (sharded channels), for a partitioned service, and signed.
 */
class StreamTopologyTest extends OnEveryTopology {
  private static final byte[] SECRET =
      "a secret of sixteen bytes or more".getBytes(StandardCharsets.UTF_8);

  /** A service of three partitions: one per primary of the test cluster. */
  @RpcService(value = "SpreadTicks", partitions = 3)
  public interface SpreadTicks {
    @Endpoint
    Flow.Publisher<Integer> endless();
  }

  /** Serves both interfaces. */
  static final class Kept extends KeptTickers implements SpreadTicks {}

  /** Takes three items, asks for two more, then cancels; checks what the handler was asked. */
  private static void creditsThenCancel(Flow.Publisher<Integer> stream, Kept impl)
      throws Exception {
    Collector<Integer> caller = new Collector<>(3);
    stream.subscribe(caller);
    Ticker handler = impl.next();
    assertThat(List.of(caller.next(), caller.next(), caller.next())).containsExactly(0, 1, 2);
    assertThat(handler.requested.get()).isEqualTo(3);

    caller.request(2);
    assertThat(List.of(caller.next(), caller.next())).containsExactly(3, 4);
    assertThat(handler.requested.get()).isEqualTo(5);

    caller.cancel();
    assertThat(handler.cancelled.await(10, TimeUnit.SECONDS))
        .as("the handler's subscription was cancelled")
        .isTrue();
  }

  @Test
  void creditsAndCancellationReachTheServer() throws Exception {
    Kept impl = new Kept();
    try (RpcServer server = RpcServer.create(Ticks.class, (Ticks) impl).connect(uri());
        RpcClient<Ticks> client = RpcClient.create(Ticks.class).connect(uri())) {
      creditsThenCancel(client.proxy().endless(), impl);
    }
  }

  @Test
  void creditsAndCancellationReachTheServerOfEachPartition() throws Exception {
    Kept impl = new Kept();
    try (RpcServer server = RpcServer.create(SpreadTicks.class, (SpreadTicks) impl).connect(uri());
        RpcClient<SpreadTicks> client = RpcClient.create(SpreadTicks.class).connect(uri())) {
      for (int partition = 0; partition < 3; partition++) {
        creditsThenCancel(client.proxy().endless(), impl);
      }
    }
  }

  @Test
  void signedStreamsGetTheirCreditsAndCancellation() throws Exception {
    Kept impl = new Kept();
    try (RpcServer server =
            RpcServer.builder(Ticks.class, (Ticks) impl)
                .sharedSecret(SECRET)
                .build()
                .connect(uri());
        RpcClient<Ticks> client =
            RpcClient.builder(Ticks.class).sharedSecret(SECRET).build().connect(uri())) {
      creditsThenCancel(client.proxy().endless(), impl);
      Collector<Integer> all = new Collector<>(Long.MAX_VALUE);
      client.proxy().count(500).subscribe(all);
      assertThat(all.awaitEnd(30)).isNull();
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        expected.add(i);
      }
      assertThat(all.items).containsExactlyElementsOf(expected);
    }
  }
}
