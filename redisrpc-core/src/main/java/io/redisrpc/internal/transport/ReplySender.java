package io.redisrpc.internal.transport;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.redisrpc.internal.Timers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers replies so that none is lost while its caller still waits: published on the caller's
 * channel, or, when nobody is subscribed there (the caller's subscription is being restored),
 * parked in Redis until the call's deadline for the caller to take once subscribed again. A reply
 * Redis could not be reached for is tried again until the deadline.
 */
final class ReplySender {
  private static final Logger log = LoggerFactory.getLogger(ReplySender.class);

  /** The longest a reply is parked, whatever the call's deadline. */
  static final long MAX_PARK_MILLIS = 10 * 60 * 1000;

  private static final byte[] SHARDED = Scripts.bytes("1");
  private static final byte[] CLASSIC = Scripts.bytes("0");
  private static final long FIRST_RETRY_MILLIS = 50;
  private static final int MAX_BATCH = 64;
  private static final int MAX_BATCH_BYTES = 1 << 20;
  private static final long MAX_RETRY_MILLIS = 1_000;

  private final @Nullable MessageSigner signer;
  private final Supplier<@Nullable RedisClusterAsyncCommands<String, byte[]>> commands;
  private final LongSupplier redisNowMillis;
  private final BooleanSupplier sharded;
  private final Map<String, Batcher<Pending>> batchers = new ConcurrentHashMap<>();

  ReplySender(
      @Nullable MessageSigner signer,
      Supplier<@Nullable RedisClusterAsyncCommands<String, byte[]>> commands,
      LongSupplier redisNowMillis,
      BooleanSupplier sharded) {
    this.sharded = sharded;
    this.signer = signer;
    this.commands = commands;
    this.redisNowMillis = redisNowMillis;
  }

  /**
   * Sends {@code reply} to call {@code callId} of the client on {@code channel}, whose deadline is
   * {@code deadlineMillis} on Redis' clock (or -1 for none). When {@code batchable} (the client
   * reads batches, protocol version 3), replies to the same channel that are ready while the
   * previous one is on its way leave together in one message ({@link ReplyBatch}). The future
   * completes with true once Redis has published or parked it, with false when it gave up at the
   * deadline; it never fails.
   */
  CompletableFuture<Boolean> send(
      String channel, String callId, byte[] reply, long deadlineMillis, boolean batchable) {
    if (!batchable) {
      return sendNow(channel, callId, reply, deadlineMillis);
    }
    Pending pending = new Pending(callId, reply, deadlineMillis, new CompletableFuture<>());
    batchers.computeIfAbsent(channel, this::newBatcher).submit(pending);
    return pending.done;
  }

  /** A batcher of the replies to {@code channel}, forgotten when idle: clients come and go. */
  private Batcher<Pending> newBatcher(String channel) {
    AtomicReference<Batcher<Pending>> self = new AtomicReference<>();
    self.set(
        new Batcher<>(
            MAX_BATCH,
            MAX_BATCH_BYTES,
            p -> p.reply.length,
            batch -> sendBatch(channel, batch),
            () ->
                batchers.computeIfPresent(
                    channel, (c, b) -> b == self.get() && b.isIdle() ? null : b)));
    return self.get();
  }

  /** One reply waiting to leave with others to the same client. */
  private record Pending(
      String callId, byte[] reply, long deadlineMillis, CompletableFuture<Boolean> done) {}

  private CompletionStage<?> sendBatch(String channel, List<Pending> batch) {
    CompletableFuture<Boolean> sent;
    if (batch.size() == 1) {
      Pending only = batch.get(0);
      sent = sendNow(channel, only.callId, only.reply, only.deadlineMillis);
    } else {
      List<byte[]> replies = new ArrayList<>(batch.size());
      long deadline = 0;
      for (Pending p : batch) {
        replies.add(p.reply);
        deadline = p.deadlineMillis < 0 || deadline < 0 ? -1 : Math.max(deadline, p.deadlineMillis);
      }
      // Parked, the batch is one field, named after its first call.
      sent = sendNow(channel, batch.get(0).callId, ReplyBatch.encode(replies), deadline);
    }
    return sent.whenComplete(
        (delivered, error) -> {
          for (Pending p : batch) {
            p.done.complete(error == null && delivered);
          }
        });
  }

  private CompletableFuture<Boolean> sendNow(
      String channel, String callId, byte[] reply, long deadlineMillis) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    long until = deadlineMillis < 0 ? redisNowMillis.getAsLong() + MAX_PARK_MILLIS : deadlineMillis;
    byte[][] args = {
      Scripts.bytes(channel),
      MessageSigner.frame(signer, channel, reply),
      Scripts.bytes(callId),
      null,
      // In a cluster replies go by SPUBLISH, to the one node that owns the channel's slot.
      sharded.getAsBoolean() ? SHARDED : CLASSIC
    };
    attempt(RedisKeys.parkedRepliesOf(channel), args, until, FIRST_RETRY_MILLIS, done);
    return done;
  }

  private void attempt(
      String parked,
      byte[][] args,
      long deadlineMillis,
      long retryMillis,
      CompletableFuture<Boolean> done) {
    long keep = Math.min(MAX_PARK_MILLIS, deadlineMillis - redisNowMillis.getAsLong());
    args[3] = Scripts.bytes(Long.toString(Math.max(0, keep)));
    RedisClusterAsyncCommands<String, byte[]> cmd = commands.get();
    CompletableFuture<Long> sent =
        cmd == null
            ? CompletableFuture.failedFuture(new IllegalStateException("the server is closed"))
            : Scripts.REPLY.<Long>run(cmd, ScriptOutputType.INTEGER, new String[] {parked}, args);
    sent.whenComplete(
        (outcome, error) -> {
          if (error == null) {
            done.complete(true);
            return;
          }
          long left = deadlineMillis - redisNowMillis.getAsLong() - retryMillis;
          String callId = text(args[2]);
          if (cmd == null || left <= 0) {
            log.warn(
                "Reply to {} on {} was not delivered: {}",
                callId,
                text(args[0]),
                error.getMessage());
            done.complete(false);
            return;
          }
          log.debug("Reply to {} not sent ({}); trying again", callId, error.getMessage());
          Timers.schedule(
              t ->
                  attempt(
                      parked,
                      args,
                      deadlineMillis,
                      Math.min(MAX_RETRY_MILLIS, retryMillis * 2),
                      done),
              retryMillis,
              TimeUnit.MILLISECONDS);
        });
  }

  private static String text(byte[] bytes) {
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }
}
