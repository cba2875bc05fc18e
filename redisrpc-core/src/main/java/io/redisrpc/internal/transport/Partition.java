package io.redisrpc.internal.transport;

import io.lettuce.core.Consumer;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.redisrpc.internal.connection.BlockingConnection;
import io.redisrpc.internal.connection.RedisLink;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What a server instance does with one request stream of its service: reads it (through its own
 * blocking connection and its share of the instance's concurrency), acknowledges, refreshes and
 * dead-letters its entries, and leaves its consumer group when done.
 */
final class Partition {
  final RedisKeys keys;
  final Slots slots;
  final RequestReader reader;
  private final String instanceId;
  private final boolean partitioned;
  private final AckBatcher acks = new AckBatcher(this::acknowledgeNow);
  private final CallRecorder calls;
  private final Supplier<@Nullable RedisClusterAsyncCommands<String, byte[]>> commands;
  private volatile @Nullable BlockingConnection connection;

  Partition(
      RedisKeys keys,
      boolean partitioned,
      String instanceId,
      int maxInFlight,
      long visibilityMillis,
      ScheduledExecutorService scheduler,
      java.util.function.Consumer<RequestEntry> deliver,
      Runnable onMissingGroup,
      Supplier<@Nullable RedisClusterAsyncCommands<String, byte[]>> commands) {
    this.keys = keys;
    this.partitioned = partitioned;
    this.instanceId = instanceId;
    this.commands = commands;
    this.calls = new CallRecorder(commands);
    this.slots = new Slots(maxInFlight);
    this.reader =
        new RequestReader(
            keys,
            instanceId,
            slots,
            visibilityMillis,
            scheduler,
            entry ->
                deliver.accept(
                    entry.withId(EntryHandle.of(entry.id(), keys.partition(), partitioned))),
            onMissingGroup);
  }

  /** Starts reading over a blocking connection of its own. */
  void start(RedisLink link, RedisClusterAsyncCommands<String, byte[]> cmd) {
    BlockingConnection c = link.blockingConnection(keys.requests());
    connection = c;
    reader.start(c, cmd);
  }

  /**
   * Stops reading and ends a blocked read as a timeout (entries it took are still delivered);
   * completes once the end was asked for.
   */
  CompletionStage<?> stopReading() {
    BlockingConnection c = connection;
    if (reader.stop() && c != null) {
      return c.unblock();
    }
    return CompletableFuture.completedFuture(null);
  }

  /** Acknowledges and deletes entry {@code entryId}, batched with others. */
  CompletableFuture<Void> acknowledge(String entryId) {
    return acks.acknowledge(entryId);
  }

  /**
   * Records signed call {@code callId} of {@code replyTo} as taken in entry {@code handle}, batched
   * with others; completes with whether this is its first taking.
   */
  CompletableFuture<Boolean> recordCall(
      String replyTo, String callId, String handle, long ttlMillis, boolean redelivered) {
    return calls.record(keys.seenCall(replyTo, callId), handle, ttlMillis, redelivered);
  }

  /** Completes once every acknowledgement asked for so far was answered. */
  CompletableFuture<Void> acknowledged() {
    return acks.idle();
  }

  private CompletionStage<?> acknowledgeNow(List<String> entryIds) {
    RedisClusterAsyncCommands<String, byte[]> cmd = commands.get();
    if (cmd == null) {
      return CompletableFuture.completedFuture(null);
    }
    byte[][] args = new byte[entryIds.size() + 1][];
    args[0] = Scripts.bytes(RedisKeys.GROUP);
    for (int i = 0; i < entryIds.size(); i++) {
      args[i + 1] = Scripts.bytes(entryIds.get(i));
    }
    return Scripts.ACK_DELETE.<Long>run(
        cmd, ScriptOutputType.INTEGER, new String[] {keys.requests()}, args);
  }

  /** Resets the idle time of entries {@code entryIds}, which this instance holds. */
  CompletionStage<?> refresh(RedisClusterAsyncCommands<String, byte[]> cmd, String[] entryIds) {
    return cmd.xclaim(
        keys.requests(),
        Consumer.from(RedisKeys.GROUP, instanceId),
        XClaimArgs.Builder.justid().minIdleTime(0),
        entryIds);
  }

  /** Moves entry {@code entryId} to the dead letters with {@code error}. */
  CompletableFuture<Void> deadLetter(
      RedisClusterAsyncCommands<String, byte[]> cmd,
      String entryId,
      byte[] codec,
      byte[] payload,
      long deliveries,
      String error) {
    return Scripts.DEAD_LETTER
        .<Long>run(
            cmd,
            ScriptOutputType.INTEGER,
            new String[] {keys.requests(), keys.deadLetters()},
            Scripts.bytes(RedisKeys.GROUP),
            Scripts.bytes(entryId),
            codec,
            payload,
            Scripts.bytes(Long.toString(deliveries)),
            Scripts.bytes(error))
        .<Void>thenApply(n -> null);
  }

  /** Leaves the consumer group, unless entries are still pending for this instance. */
  CompletionStage<?> leaveGroup(RedisClusterAsyncCommands<String, byte[]> cmd) {
    return Scripts.RELEASE_CONSUMER.run(
        cmd,
        ScriptOutputType.INTEGER,
        new String[] {keys.requests()},
        Scripts.bytes(RedisKeys.GROUP),
        Scripts.bytes(instanceId));
  }

  /** Closes the blocking connection. */
  void close() {
    BlockingConnection c = connection;
    connection = null;
    if (c != null) {
      c.close();
    }
  }

  /** Whether handles name their partition. */
  boolean partitioned() {
    return partitioned;
  }
}
