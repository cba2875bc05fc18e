package io.redisrpc.internal.transport;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.redisrpc.internal.connection.BlockingConnection;
import io.redisrpc.internal.connection.RedisLink;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one loop through which a server instance takes requests: new ones with {@code XREADGROUP},
 * and, when due, those of dead instances with RECLAIM. One loop, one step at a time, so that slots
 * are taken in one place and reading and reclaiming together never hold more than the limit. A
 * blocked read ends by the time the next reclaim is due.
 */
final class RequestReader {
  private static final Logger log = LoggerFactory.getLogger(RequestReader.class);
  private static final long MAX_BLOCK_MILLIS = 2_000;
  private static final int MAX_READ = 256;
  private static final int MAX_RECLAIM = 64;
  private static final long RETRY_MILLIS = 500;
  private static final long REDIRECT_RETRY_MILLIS = 50;

  private final RedisKeys keys;
  private final String instanceId;
  private final Slots slots;
  private final long visibilityMillis;
  private final long reclaimPeriodNanos;
  private final ScheduledExecutorService scheduler;
  private final Consumer<RequestEntry> deliver;
  private final Runnable onMissingGroup;
  private final AtomicBoolean stepping = new AtomicBoolean();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();

  private volatile @Nullable BlockingConnection reader;
  private volatile @Nullable RedisClusterAsyncCommands<String, byte[]> commands;
  private volatile boolean running;
  private volatile boolean blocked;
  private volatile long nextReclaimNanos;

  RequestReader(
      RedisKeys keys,
      String instanceId,
      Slots slots,
      long visibilityMillis,
      ScheduledExecutorService scheduler,
      Consumer<RequestEntry> deliver,
      Runnable onMissingGroup) {
    this.keys = keys;
    this.instanceId = instanceId;
    this.slots = slots;
    this.visibilityMillis = visibilityMillis;
    this.reclaimPeriodNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(30, visibilityMillis / 3));
    this.scheduler = scheduler;
    this.deliver = deliver;
    this.onMissingGroup = onMissingGroup;
  }

  /** Starts taking requests over {@code reader} (blocking reads only) and {@code commands}. */
  void start(BlockingConnection reader, RedisClusterAsyncCommands<String, byte[]> commands) {
    this.reader = reader;
    this.commands = commands;
    this.nextReclaimNanos = System.nanoTime() + reclaimPeriodNanos;
    this.running = true;
    wake();
  }

  /** Takes the next step unless one is under way: call whenever a slot was freed. */
  void wake() {
    if (running && slots.hasFree() && stepping.compareAndSet(false, true)) {
      if (!running || !slots.hasFree()) {
        stepping.set(false);
        if (running && slots.hasFree()) {
          wake();
        } else if (!running) {
          stopped.complete(null);
        }
        return;
      }
      step();
    }
  }

  /**
   * Stops taking requests. Returns whether a read is blocked in Redis now, which the caller ends
   * with {@code CLIENT UNBLOCK}; {@link #idle()} completes once no step is under way.
   */
  boolean stop() {
    running = false;
    if (!stepping.get()) {
      stopped.complete(null);
    }
    return blocked;
  }

  /** Completes once stopped and no read or reclaim is under way any more. */
  CompletableFuture<Void> idle() {
    return stopped;
  }

  private void step() {
    boolean reclaiming = System.nanoTime() - nextReclaimNanos >= 0;
    int granted = slots.take(reclaiming ? MAX_RECLAIM : MAX_READ);
    if (granted == 0) {
      // Lost the last free slot to a race: whoever frees one wakes us again.
      stepping.set(false);
      wake();
      return;
    }
    CompletionStage<List<RequestEntry>> taking;
    try {
      if (reclaiming) {
        nextReclaimNanos = System.nanoTime() + reclaimPeriodNanos;
        taking = reclaim(granted);
      } else {
        long untilReclaim = TimeUnit.NANOSECONDS.toMillis(nextReclaimNanos - System.nanoTime());
        taking = read(granted, Math.max(1, Math.min(MAX_BLOCK_MILLIS, untilReclaim)));
      }
    } catch (RuntimeException e) {
      taking = CompletableFuture.failedFuture(e);
    }
    taking.whenComplete(
        (entries, error) -> {
          blocked = false;
          int delivered = 0;
          try {
            if (error == null) {
              for (RequestEntry entry : entries) {
                if (delivered == granted) {
                  // Never more than asked for; a stray one stays pending and is reclaimed.
                  log.warn("Redis returned more requests of {} than asked for", keys.service());
                  break;
                }
                delivered++;
                deliver.accept(entry);
              }
            }
          } finally {
            slots.release(granted - delivered);
            stepping.set(false);
          }
          if (!running) {
            stopped.complete(null);
          } else if (error != null) {
            onError(error);
          } else {
            wake();
          }
        });
  }

  private CompletionStage<List<RequestEntry>> read(int count, long blockMillis) {
    BlockingConnection rd = reader;
    if (rd == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("not started"));
    }
    CommandArgs<String, byte[]> args =
        new CommandArgs<>(RedisLink.CODEC)
            .add("GROUP")
            .add(RedisKeys.GROUP)
            .add(instanceId)
            .add("COUNT")
            .add(count)
            .add("BLOCK")
            .add(blockMillis)
            .add("STREAMS")
            .addKey(keys.requests())
            .add(">");
    blocked = true;
    return rd.dispatch(
        CommandType.XREADGROUP, new StreamEntriesOutput(RedisLink.CODEC, keys), args);
  }

  private CompletionStage<List<RequestEntry>> reclaim(int count) {
    RedisClusterAsyncCommands<String, byte[]> cmd = commands;
    if (cmd == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("not started"));
    }
    return Scripts.RECLAIM
        .<List<Object>>run(
            cmd,
            ScriptOutputType.MULTI,
            new String[] {keys.requests()},
            Scripts.bytes(RedisKeys.GROUP),
            Scripts.bytes(instanceId),
            Scripts.bytes(Long.toString(visibilityMillis)),
            Scripts.bytes(Integer.toString(count)))
        .thenApply(this::reclaimed);
  }

  private List<RequestEntry> reclaimed(List<Object> entries) {
    List<RequestEntry> out = new java.util.ArrayList<>(entries.size());
    for (Object entry : entries) {
      List<?> e = (List<?>) entry;
      String id = text(e.get(0));
      long deliveries = ((Number) e.get(1)).longValue();
      out.add(RequestEntry.of(id, (List<?>) e.get(2), deliveries, keys));
      log.info("Reclaimed request {} of {} (delivery {})", id, keys.service(), deliveries);
    }
    return out;
  }

  private void onError(Throwable error) {
    String message = String.valueOf(error.getMessage());
    if (message.startsWith("NOGROUP")) {
      log.info(
          "Consumer group of {} is gone (Redis restarted?); creating it again", keys.service());
      scheduler.execute(
          () -> {
            onMissingGroup.run();
            wake();
          });
      return;
    }
    if (RedisLink.isRedirect(error)) {
      // The stream's slot is moving or moved: the topology is being read again.
      log.debug("Taking requests of {} redirected: {}; retrying", keys.service(), message);
      scheduler.schedule(this::wake, REDIRECT_RETRY_MILLIS, TimeUnit.MILLISECONDS);
      return;
    }
    log.warn("Taking requests of {} failed: {}; retrying", keys.service(), message);
    scheduler.schedule(this::wake, RETRY_MILLIS, TimeUnit.MILLISECONDS);
  }

  private static String text(Object value) {
    return value instanceof byte[]
        ? new String((byte[]) value, StandardCharsets.UTF_8)
        : String.valueOf(value);
  }
}
