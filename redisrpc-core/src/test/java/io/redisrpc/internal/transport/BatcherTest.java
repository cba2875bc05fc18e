package io.redisrpc.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatcherTest {
  /** A send that Redis answers only when the test says so. */
  private static final class Sends {
    final List<List<String>> batches = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<Void>> answers = new CopyOnWriteArrayList<>();

    CompletableFuture<Void> send(List<String> batch) {
      batches.add(List.copyOf(batch));
      CompletableFuture<Void> answer = new CompletableFuture<>();
      answers.add(answer);
      return answer;
    }
  }

  @Test
  void aLoneItemLeavesAtOnceAndThoseSubmittedMeanwhileLeaveTogether() {
    Sends sends = new Sends();
    Batcher<String> batcher = new Batcher<>(64, sends::send);
    batcher.submit("a");
    assertThat(sends.batches).containsExactly(List.of("a"));
    batcher.submit("b");
    batcher.submit("c");
    assertThat(sends.batches).hasSize(1);
    sends.answers.get(0).complete(null);
    assertThat(sends.batches).containsExactly(List.of("a"), List.of("b", "c"));
  }

  @Test
  void aBatchHoldsAtMostItsCountAndItsBytesButAlwaysOneItem() {
    Sends sends = new Sends();
    Batcher<String> batcher = new Batcher<>(2, 10, String::length, sends::send, () -> {});
    batcher.submit("first");
    List.of("aaaa", "bbbb", "cccc", "0123456789ab").forEach(batcher::submit);
    sends.answers.get(0).complete(null);
    sends.answers.get(1).complete(null);
    sends.answers.get(2).complete(null);
    assertThat(sends.batches)
        .containsExactly(
            List.of("first"), List.of("aaaa", "bbbb"), List.of("cccc"), List.of("0123456789ab"));
  }

  @Test
  void idleIsCalledOnceEverythingWasAnsweredAndIdleCompletes() throws Exception {
    Sends sends = new Sends();
    AtomicInteger idle = new AtomicInteger();
    Batcher<String> batcher =
        new Batcher<>(64, Integer.MAX_VALUE, s -> 0, sends::send, idle::incrementAndGet);
    batcher.submit("a");
    batcher.submit("b");
    CompletableFuture<Void> done = batcher.idle();
    assertThat(done).isNotDone();
    sends.answers.get(0).complete(null);
    assertThat(idle).hasValue(0);
    assertThat(done).isNotDone();
    sends.answers.get(1).completeExceptionally(new IllegalStateException("Redis said no"));
    done.get(1, TimeUnit.SECONDS);
    assertThat(idle).hasValue(1);
    assertThat(batcher.isIdle()).isTrue();
  }
}
