package io.redisrpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisrpc.topology.OnEveryTopology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoadSharingTest extends OnEveryTopology {
  @RpcService("LoadSharing")
  public interface Counter {
    @Endpoint
    CompletableFuture<String> handle(int call);
  }

  /** Records which instance ran which call, and how often each call ran. */
  static final class CountingCounter implements Counter {
    final String name;
    final Map<Integer, AtomicInteger> runs;
    final AtomicInteger handled = new AtomicInteger();

    CountingCounter(String name, Map<Integer, AtomicInteger> runs) {
      this.name = name;
      this.runs = runs;
    }

    @Override
    public CompletableFuture<String> handle(int call) {
      runs.computeIfAbsent(call, c -> new AtomicInteger()).incrementAndGet();
      handled.incrementAndGet();
      return CompletableFuture.completedFuture(name + ":" + call);
    }
  }

  @Test
  void twoServersShareCallsAndEachCallRunsOnce() throws Exception {
    Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
    CountingCounter a = new CountingCounter("a", runs);
    CountingCounter b = new CountingCounter("b", runs);
    try (RpcServer serverA =
            RpcServer.builder(Counter.class, (Counter) a).maxConcurrency(4).build().connect(uri());
        RpcServer serverB =
            RpcServer.builder(Counter.class, (Counter) b).maxConcurrency(4).build().connect(uri());
        RpcClient<Counter> client = RpcClient.create(Counter.class).connect(uri())) {
      List<CompletableFuture<String>> replies = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        replies.add(client.proxy().handle(i));
      }
      CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

      for (int i = 0; i < 1000; i++) {
        assertThat(replies.get(i).get()).matches("[ab]:" + i);
        assertThat(runs.get(i)).as("runs of call %d", i).hasValue(1);
      }
      assertThat(a.handled.get() + b.handled.get()).isEqualTo(1000);
      assertThat(a.handled.get()).as("calls served by a").isPositive();
      assertThat(b.handled.get()).as("calls served by b").isPositive();
      assertThat(client.pendingCalls()).isZero();
    }
  }

  @Test
  void thousandConcurrentCallsFromOneClientAllGetTheirOwnResult() throws Exception {
    Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
    try (RpcServer server =
            RpcServer.create(Counter.class, (Counter) new CountingCounter("s", runs))
                .connect(uri());
        RpcClient<Counter> client =
            RpcClient.builder(Counter.class).codec(Codec.MSGPACK).build().connect(uri())) {
      List<CompletableFuture<String>> replies = new ArrayList<>();
      List<Thread> callers = new ArrayList<>();
      List<CompletableFuture<String>> synced = java.util.Collections.synchronizedList(replies);
      for (int t = 0; t < 10; t++) {
        int base = t * 100;
        Thread caller =
            new Thread(
                () -> {
                  for (int i = base; i < base + 100; i++) {
                    synced.add(client.proxy().handle(i).thenApply(r -> r));
                  }
                });
        callers.add(caller);
        caller.start();
      }
      for (Thread caller : callers) {
        caller.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(caller.isAlive()).isFalse();
      }
      assertThat(replies).hasSize(1000);
      CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      List<String> results = new ArrayList<>();
      for (CompletableFuture<String> reply : replies) {
        results.add(reply.get());
      }
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        expected.add("s:" + i);
      }
      assertThat(results).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(runs).hasSize(1000);
    }
  }
}
