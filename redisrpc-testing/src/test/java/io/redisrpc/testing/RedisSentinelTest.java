package io.redisrpc.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

@WithRedisSentinel
class RedisSentinelTest {
  @Test
  void sentinelsKnowThePrimaryAndPromoteTheReplicaWhenItDies(RedisSentinel sentinel)
      throws Exception {
    assertThat(sentinel.sentinels()).hasSize(3);
    assertThat(sentinel.uri())
        .startsWith("redis-sentinel://127.0.0.1:")
        .endsWith("#" + RedisSentinel.MASTER_NAME);
    RedisProcess primary = sentinel.primary();
    try (Resp resp = Resp.connect(primary.port())) {
      assertThat(resp.command("SET", "k", "v")).isEqualTo("OK");
    }
    RedisProcess promoted = sentinel.killPrimary();
    assertThat(promoted).isNotSameAs(primary);
    assertThat(sentinel.primary()).isSameAs(promoted);
    try (Resp resp = Resp.connect(promoted.port())) {
      assertThat(resp.command("INFO", "replication")).contains("role:master");
      assertThat(resp.command("SET", "k2", "v2")).isEqualTo("OK");
    }
  }
}
