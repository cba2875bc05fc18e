package io.redisrpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.redisrpc.internal.transport.RedisKeys;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * A server instance of a service that announces itself, takes calls from every partition's stream
 * and dies without answering them, written by hand: what a server killed while running calls leaves
 * behind. A real server with {@code maxDeliveries(1)} then takes those calls over as redeliveries
 * and moves them to the dead letters, exactly as it would after a crash.
 */
final class GhostInstance {
  private static final String ID = "ghost";

  private final RedisClusterCommands<String, String> redis;
  private final List<RedisKeys> partitions;
  private int taken;

  private GhostInstance(RedisClusterCommands<String, String> redis, List<RedisKeys> partitions) {
    this.redis = redis;
    this.partitions = partitions;
  }

  /**
   * A ghost of {@code service} ({@code partitions} partitions), working through {@code redis} (a
   * node or a cluster), live for a minute unless it {@link #die}s, reading each partition's stream
   * through the servers' group.
   */
  static GhostInstance appear(
      RedisClusterCommands<String, String> redis, String service, int partitions) {
    GhostInstance ghost = new GhostInstance(redis, RedisKeys.partitions(service, partitions));
    List<String> time = redis.time();
    long now = Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    for (RedisKeys keys : ghost.partitions) {
      redis.zadd(keys.instances(), now + 60_000, ID);
      try {
        redis.xgroupCreate(
            XReadArgs.StreamOffset.from(keys.requests(), "0"),
            RedisKeys.GROUP,
            io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
      } catch (RedisBusyException e) {
        // The group exists already.
      }
    }
    return ghost;
  }

  /** Takes calls from the streams until it holds {@code calls} of them in all (bounded wait). */
  void take(int calls) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              for (RedisKeys keys : partitions) {
                taken +=
                    redis
                        .xreadgroup(
                            Consumer.from(RedisKeys.GROUP, ID),
                            XReadArgs.StreamOffset.lastConsumed(keys.requests()))
                        .size();
              }
              return taken >= calls;
            });
    assertThat(taken).as("calls the ghost took").isEqualTo(calls);
  }

  /** Stops counting as live, holding the calls it took, as a killed server does. */
  void die() {
    for (RedisKeys keys : partitions) {
      redis.zrem(keys.instances(), ID);
    }
  }
}
