package io.redisrpc.internal.transport;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.redisrpc.NotConnectedException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Records the signed calls a partition takes, so that a replayed copy is refused (section 14 of
 * docs/PROTOCOL.md), in as few commands as possible: calls taken while one record is on its way
 * leave together in the next ({@link Batcher}), one RECORD_CALLS script for all of them.
 */
final class CallRecorder {
  private static final int MAX_BATCH = 256;

  private final Supplier<@Nullable RedisClusterAsyncCommands<String, byte[]>> commands;
  private final Batcher<Call> batcher = new Batcher<>(MAX_BATCH, this::recordNow);

  private record Call(
      String key,
      byte[] entry,
      long ttlMillis,
      boolean redelivered,
      CompletableFuture<Boolean> first) {}

  CallRecorder(Supplier<@Nullable RedisClusterAsyncCommands<String, byte[]>> commands) {
    this.commands = commands;
  }

  /**
   * Records entry {@code handle} under {@code key} for {@code ttlMillis}; completes with whether it
   * is the call's first taking (or the same entry again, when {@code redelivered}).
   */
  CompletableFuture<Boolean> record(
      String key, String handle, long ttlMillis, boolean redelivered) {
    Call call =
        new Call(
            key,
            Scripts.bytes(handle),
            Math.max(1, ttlMillis),
            redelivered,
            new CompletableFuture<>());
    batcher.submit(call);
    return call.first;
  }

  private CompletionStage<?> recordNow(List<Call> batch) {
    RedisClusterAsyncCommands<String, byte[]> cmd = commands.get();
    if (cmd == null) {
      NotConnectedException closed = new NotConnectedException("server is closed");
      batch.forEach(c -> c.first.completeExceptionally(closed));
      return CompletableFuture.completedFuture(null);
    }
    String[] keys = new String[batch.size()];
    byte[][] args = new byte[3 * batch.size()][];
    for (int i = 0; i < batch.size(); i++) {
      Call c = batch.get(i);
      keys[i] = c.key;
      args[3 * i] = c.entry;
      args[3 * i + 1] = Scripts.bytes(Long.toString(c.ttlMillis));
      args[3 * i + 2] = Scripts.bytes(c.redelivered ? "1" : "0");
    }
    return Scripts.RECORD_CALLS
        .<List<Long>>run(cmd, ScriptOutputType.MULTI, keys, args)
        .whenComplete(
            (taken, error) -> {
              for (int i = 0; i < batch.size(); i++) {
                CompletableFuture<Boolean> first = batch.get(i).first;
                if (error != null) {
                  first.completeExceptionally(error);
                } else if (taken == null || taken.size() != batch.size()) {
                  first.completeExceptionally(
                      new IllegalStateException("RECORD_CALLS answered " + taken));
                } else {
                  first.complete(taken.get(i) == 1L);
                }
              }
            });
  }
}
