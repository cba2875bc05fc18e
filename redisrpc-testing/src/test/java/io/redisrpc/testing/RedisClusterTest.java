package io.redisrpc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@WithRedisCluster(primaries = 3, replicas = 1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterTest {
  @Test
  void threePrimariesWithAReplicaEachServeEverySlot(RedisCluster cluster) throws Exception {
    assertThat(cluster.nodes()).hasSize(6);
    assertThat(cluster.primaries()).hasSize(3);
    assertThat(cluster.uri()).startsWith("redis-cluster://127.0.0.1:").contains(",");
    try (Resp resp = Resp.connect(cluster.primaries().get(0).port())) {
      String info = resp.command("CLUSTER", "INFO");
      assertThat(info).contains("cluster_state:ok").contains("cluster_slots_assigned:16384");
      assertThat(info).contains("cluster_known_nodes:6");
    }
  }

  @Test
  void slotsAreTheOnesRedisComputes(RedisCluster cluster) throws Exception {
    try (Resp resp = Resp.connect(cluster.primaries().get(0).port())) {
      for (String key :
          new String[] {
            "foo",
            "{user1000}.following",
            "user1000",
            "foo{}{bar}",
            "foo{{bar}}zap",
            "{}",
            "{",
            "rpc:{Dropbox}:requests",
            "é{ü}"
          }) {
        assertThat(RedisCluster.slot(key))
            .as(key)
            .isEqualTo(Integer.parseInt(resp.command("CLUSTER", "KEYSLOT", key)));
      }
    }
    assertThat(RedisCluster.slot("{user1000}.following"))
        .isEqualTo(RedisCluster.slot("{user1000}.followers"));
  }

  @Test
  void aSlotMigratesWithItsKeys(RedisCluster cluster) throws Exception {
    String key = "{migrating}:k";
    int slot = RedisCluster.slot(key);
    RedisProcess from = cluster.primaryOwning(slot);
    try (Resp resp = Resp.connect(from.port())) {
      assertThat(resp.command("SET", key, "v")).isEqualTo("OK");
      assertThat(resp.command("CLUSTER", "KEYSLOT", key)).isEqualTo(Integer.toString(slot));
    }
    RedisProcess to = cluster.primaries().stream().filter(p -> p != from).findFirst().orElseThrow();
    cluster.migrate(slot, to);
    assertThat(cluster.primaryOwning(slot)).isSameAs(to);
    try (Resp resp = Resp.connect(to.port())) {
      assertThat(resp.command("GET", key)).isEqualTo("v");
    }
    try (Resp resp = Resp.connect(from.port())) {
      assertThat(resp.command("GET", key)).startsWith("-MOVED " + slot + " ");
    }
  }

  @Test
  @Order(Integer.MAX_VALUE) // it leaves a primary without a replica
  void aKilledPrimaryIsReplacedByItsReplica(RedisCluster cluster) {
    int slot = RedisCluster.slot("{failover}");
    RedisProcess dead = cluster.primaryOwning(slot);
    RedisProcess promoted = cluster.killPrimaryOwning(slot);
    assertThat(promoted).isNotSameAs(dead);
    assertThat(dead.isRunning()).isFalse();
    assertThat(cluster.primaryOwning(slot)).isSameAs(promoted);
    assertThat(cluster.primaries()).contains(promoted).doesNotContain(dead);
    // Without a replica left, another failover of that slot cannot happen.
    assertThatThrownBy(() -> cluster.killPrimaryOwning(slot))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the primary of slot " + slot + " has no replica");
  }

  @Test
  void sizesAreChecked() {
    assertThatThrownBy(() -> RedisCluster.start(0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("primaries must be at least 1: 0");
    assertThatThrownBy(() -> RedisCluster.start(1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("replicasPerPrimary must not be negative: -1");
  }
}
