package io.redisrpc.internal.transport;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.redisrpc.internal.Timers;
import io.redisrpc.internal.connection.Subscriber;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's replies that were published while it was not subscribed (its subscription was being
 * restored after a dropped connection, a Redis restart, a moved slot): servers park them in Redis
 * until their calls' deadlines, and the client takes them each time it is subscribed again. Taking
 * happens after Redis confirmed the subscription, so every reply is either pushed or parked before
 * the take: none falls in between.
 */
final class ParkedReplies {
  private static final Logger log = LoggerFactory.getLogger(ParkedReplies.class);
  private static final long FIRST_RETRY_MILLIS = 50;
  private static final long MAX_RETRY_MILLIS = 1_000;
  private static final int MAX_ATTEMPTS = 60;

  private final String key;
  private final Supplier<@Nullable RedisClusterAsyncCommands<String, byte[]>> commands;
  private final Consumer<byte[]> onReply;
  private final BooleanSupplier anyoneWaits;
  private final AtomicBoolean again = new AtomicBoolean();
  private final AtomicBoolean taking = new AtomicBoolean();

  ParkedReplies(
      String key,
      Supplier<@Nullable RedisClusterAsyncCommands<String, byte[]>> commands,
      Consumer<byte[]> onReply,
      BooleanSupplier anyoneWaits) {
    this.key = key;
    this.commands = commands;
    this.onReply = onReply;
    this.anyoneWaits = anyoneWaits;
  }

  /**
   * A subscriber of the reply channel: hands each message to {@code onReply} and takes the parked
   * replies each time Redis confirms the subscription (again).
   */
  Subscriber subscriber() {
    return new Subscriber() {
      @Override
      public void onMessage(byte[] message) {
        onReply.accept(message);
      }

      @Override
      public void onSubscribed() {
        take();
      }
    };
  }

  /**
   * Takes the parked replies and hands each to the reply listener; tried again while Redis cannot
   * be reached and calls still wait. A take asked for while one is under way runs after it.
   */
  void take() {
    again.set(true);
    if (taking.compareAndSet(false, true)) {
      attempt(1, FIRST_RETRY_MILLIS);
    }
  }

  private void attempt(int attempt, long retryMillis) {
    again.set(false);
    RedisClusterAsyncCommands<String, byte[]> cmd = commands.get();
    if (cmd == null) {
      taking.set(false);
      return;
    }
    // Read, then delete what was read: a lost answer to the read loses nothing, and whatever the
    // delete misses expires with its call.
    cmd.hgetall(key)
        .whenComplete(
            (parked, error) -> {
              if (error == null) {
                for (byte[] message : parked.values()) {
                  onReply.accept(message);
                }
                if (!parked.isEmpty()) {
                  log.debug("Took {} parked replies from {}", parked.size(), key);
                  cmd.hdel(key, parked.keySet().toArray(new String[0]));
                }
                finish();
              } else if (attempt < MAX_ATTEMPTS && anyoneWaits.getAsBoolean()) {
                log.debug("Taking parked replies from {} failed: {}", key, error.getMessage());
                Timers.schedule(
                    t -> attempt(attempt + 1, Math.min(MAX_RETRY_MILLIS, retryMillis * 2)),
                    retryMillis,
                    TimeUnit.MILLISECONDS);
              } else {
                log.warn("Could not take parked replies from {}: {}", key, error.getMessage());
                finish();
              }
            });
  }

  private void finish() {
    taking.set(false);
    if (again.get() && taking.compareAndSet(false, true)) {
      attempt(1, FIRST_RETRY_MILLIS);
    }
  }
}
