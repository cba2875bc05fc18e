package io.redisrpc.internal.transport;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server instance's heartbeat: announces it live (HEARTBEAT), writes its registration, keeps the
 * stream's ids honest (REPAIR_IDS) and, now and then, removes the consumers of instances that are
 * gone (PRUNE_CONSUMERS). All of it is pipelined on the command connection and asynchronous: a beat
 * never blocks a thread, and never overlaps the previous one.
 */
final class Heartbeat {
  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  /** Entries more than this far ahead of Redis' clock were not appended by ENQUEUE. */
  static final long FUTURE_TOLERANCE_MILLIS = 60_000;

  /** How many beats between two prunings of the consumer group. */
  private static final int PRUNE_EVERY = 30;

  /** Consumers idle this long, with nothing pending and no live instance, are removed. */
  private static final long PRUNE_IDLE_MILLIS = 60_000;

  private final RedisKeys keys;
  private final List<RedisKeys> partitions;
  private final String instanceId;
  private final long ttlMillis;
  private final long timeoutMillis;
  private final AtomicBoolean beating = new AtomicBoolean();
  private final AtomicBoolean registryWarned = new AtomicBoolean();
  private final AtomicLong beats = new AtomicLong();
  private volatile @Nullable InstanceRegistration registration;
  private volatile boolean sendDescriptor = true;
  private volatile long redisClockOffsetMillis;
  private volatile CompletableFuture<Void> current = CompletableFuture.completedFuture(null);

  /**
   * The heartbeat of instance {@code instanceId} of the service of {@code partitions}. A service of
   * one partition beats with one script; one of N partitions announces the instance in each
   * partition (where its callers check liveness) and registers it under the service's own names.
   */
  Heartbeat(List<RedisKeys> partitions, String instanceId, long intervalMillis) {
    this.partitions = List.copyOf(partitions);
    this.keys =
        partitions.size() == 1 ? partitions.get(0) : new RedisKeys(partitions.get(0).service());
    this.instanceId = instanceId;
    this.ttlMillis = intervalMillis * 3;
    // A beat that takes longer than the ttl is no beat: give up on it, the next one tries again.
    this.timeoutMillis = Math.max(1_000, ttlMillis);
  }

  void register(InstanceRegistration registration) {
    this.registration = registration;
  }

  /**
   * Starts a beat unless one is under way; the future completes when it is done, whatever its
   * outcome, and fails only with a problem of the HEARTBEAT script itself.
   */
  CompletableFuture<Void> beat(RedisClusterAsyncCommands<String, byte[]> cmd) {
    if (!beating.compareAndSet(false, true)) {
      return current;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    current = done;
    InstanceRegistration reg = registration;
    long before = System.currentTimeMillis();
    CompletableFuture<List<Object>> script;
    try {
      boolean partitioned = partitions.size() > 1;
      byte[][] args =
          InstanceRegistration.heartbeatArgs(
              reg, instanceId, ttlMillis, sendDescriptor, !partitioned);
      String[] scriptKeys =
          reg == null
              ? new String[] {keys.instances(), keys.requests()}
              : new String[] {
                keys.instances(), keys.requests(), keys.instanceInfo(instanceId), keys.descriptor()
              };
      script = Scripts.HEARTBEAT.run(cmd, ScriptOutputType.MULTI, scriptKeys, args);
      if (partitioned) {
        // Each partition has its own stream and instances, where its callers check liveness.
        List<CompletableFuture<?>> all = new ArrayList<>();
        all.add(script);
        byte[][] partitionArgs =
            InstanceRegistration.heartbeatArgs(null, instanceId, ttlMillis, false, true);
        for (RedisKeys partition : partitions) {
          all.add(
              Scripts.HEARTBEAT.run(
                  cmd,
                  ScriptOutputType.MULTI,
                  new String[] {partition.instances(), partition.requests()},
                  partitionArgs));
        }
        CompletableFuture<List<Object>> first = script;
        script =
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenCompose(ignored -> first);
      }
      if (reg != null) {
        // The index has its own slot in a cluster, so it is not written by the script.
        cmd.sadd(RedisKeys.SERVICES, Scripts.bytes(keys.service()))
            .whenComplete((added, error) -> warnOnce(error));
      }
      boolean prune = beats.incrementAndGet() % PRUNE_EVERY == 1;
      for (RedisKeys partition : partitions) {
        repairIds(cmd, partition);
        if (prune) {
          pruneConsumers(cmd, partition);
        }
      }
    } catch (RuntimeException e) {
      script = CompletableFuture.failedFuture(e);
    }
    script
        .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .whenComplete(
            (result, error) -> {
              if (error == null) {
                long after = System.currentTimeMillis();
                long redisNow = ((Number) result.get(0)).longValue();
                // 0: the descriptor is missing (expired, or Redis restarted empty): send it again.
                sendDescriptor = result.size() > 1 && ((Number) result.get(1)).longValue() == 0;
                redisClockOffsetMillis = redisNow - (before + after) / 2;
              }
              beating.set(false);
              if (error != null) {
                done.completeExceptionally(error);
              } else {
                done.complete(null);
              }
            });
    return done;
  }

  /**
   * Withdraws this instance: no longer live in any partition, and its hash deleted. Completes when
   * Redis confirmed all of it.
   */
  CompletableFuture<Void> withdraw(RedisClusterAsyncCommands<String, byte[]> cmd) {
    List<CompletableFuture<?>> steps = new ArrayList<>();
    byte[] id = Scripts.bytes(instanceId);
    steps.add(cmd.zrem(keys.instances(), id).toCompletableFuture());
    if (partitions.size() > 1) {
      for (RedisKeys partition : partitions) {
        steps.add(cmd.zrem(partition.instances(), id).toCompletableFuture());
      }
    }
    steps.add(cmd.del(keys.instanceInfo(instanceId)).toCompletableFuture());
    return CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new));
  }

  /** Redis' clock now, as estimated at the last beat. */
  long redisNowMillis() {
    return System.currentTimeMillis() + redisClockOffsetMillis;
  }

  /** The beat under way, or the last one. */
  CompletableFuture<Void> current() {
    return current;
  }

  private void repairIds(RedisClusterAsyncCommands<String, byte[]> cmd, RedisKeys keys) {
    Scripts.REPAIR_IDS
        .<Long>run(
            cmd,
            ScriptOutputType.INTEGER,
            new String[] {keys.requests()},
            Scripts.bytes(RedisKeys.GROUP),
            Scripts.bytes(Long.toString(FUTURE_TOLERANCE_MILLIS)))
        .whenComplete(
            (outcome, error) -> {
              if (error != null) {
                log.debug("Checking the ids of {} failed: {}", keys.requests(), error.getMessage());
              } else if (outcome == 1) {
                log.warn(
                    "{} held entries with ids far ahead of Redis' clock (written by hand?);"
                        + " its ids are back on Redis' clock",
                    keys.requests());
              }
            });
  }

  private void pruneConsumers(RedisClusterAsyncCommands<String, byte[]> cmd, RedisKeys keys) {
    Scripts.PRUNE_CONSUMERS
        .<Long>run(
            cmd,
            ScriptOutputType.INTEGER,
            new String[] {keys.requests(), keys.instances()},
            Scripts.bytes(RedisKeys.GROUP),
            Scripts.bytes(Long.toString(PRUNE_IDLE_MILLIS)))
        .whenComplete(
            (removed, error) -> {
              if (error != null) {
                log.debug("Pruning consumers of {} failed: {}", keys.service(), error.getMessage());
              } else if (removed > 0) {
                log.debug("Removed {} consumers of gone instances of {}", removed, keys.service());
              }
            });
  }

  private void warnOnce(@Nullable Throwable error) {
    if (error != null && registryWarned.compareAndSet(false, true)) {
      log.warn(
          "{} is not listed in {}: {}", keys.service(), RedisKeys.SERVICES, error.getMessage());
    }
  }
}
