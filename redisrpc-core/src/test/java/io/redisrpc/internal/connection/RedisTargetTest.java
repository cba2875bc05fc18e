package io.redisrpc.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;

class RedisTargetTest {
  @Test
  void redisAndRedissNameOneNode() {
    RedisTarget plain = RedisTarget.parse("redis://h:6380/2");
    assertThat(plain.kind()).isEqualTo(RedisTarget.Kind.NODE);
    assertThat(plain.uris())
        .singleElement()
        .satisfies(u -> assertThat(u.getPort()).isEqualTo(6380));
    assertThat(plain.uris().get(0).getDatabase()).isEqualTo(2);
    assertThat(plain.isTls()).isFalse();
    assertThat(RedisTarget.parse("rediss://h:6380").isTls()).isTrue();
  }

  @Test
  void sentinelUrisNeedTheNameOfTheirPrimary() {
    RedisTarget sentinel = RedisTarget.parse("redis-sentinel://a:26379,b:26380#mymaster");
    assertThat(sentinel.kind()).isEqualTo(RedisTarget.Kind.SENTINEL);
    assertThat(sentinel.uris().get(0).getSentinels()).hasSize(2);
    assertThat(sentinel.uris().get(0).getSentinelMasterId()).isEqualTo("mymaster");
    assertThatThrownBy(() -> RedisTarget.parse("redis-sentinel://a:26379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid Redis URI 'redis-sentinel://a:26379': a Sentinel URI names its primary after"
                + " '#', as in #mymaster");
  }

  @Test
  void clusterUrisListSeedNodesSharingCredentialsAndTls() {
    RedisTarget cluster =
        RedisTarget.parse("rediss-cluster://user:secret@a:7000,b:7001?verifyPeer=NONE");
    assertThat(cluster.isCluster()).isTrue();
    assertThat(cluster.uris()).extracting(RedisURI::getHost).containsExactly("a", "b");
    assertThat(cluster.uris()).extracting(RedisURI::getPort).containsExactly(7000, 7001);
    assertThat(cluster.uris()).allSatisfy(u -> assertThat(u.isSsl()).isTrue());
    assertThat(cluster.uris()).allSatisfy(u -> assertThat(u.getUsername()).isEqualTo("user"));
    assertThat(cluster.uris())
        .allSatisfy(u -> assertThat(new String(u.getPassword())).isEqualTo("secret"));
    assertThat(cluster.text()).isEqualTo("rediss-cluster://user:***@a:7000,b:7001?verifyPeer=NONE");
    assertThat(RedisTarget.parse("redis-cluster://a:7000").isTls()).isFalse();
  }

  @Test
  void clusterUrisRefuseADatabaseOtherThanZeroAndEmptySeeds() {
    assertThatThrownBy(() -> RedisTarget.parse("redis-cluster://a:7000/3"))
        .hasMessage(
            "Invalid Redis URI 'redis-cluster://a:7000/3': a Redis Cluster has only database 0");
    assertThatThrownBy(() -> RedisTarget.parse("redis-cluster://a:7000,,b:7001"))
        .hasMessage(
            "Invalid Redis URI 'redis-cluster://a:7000,,b:7001': an empty seed node between commas");
    assertThatThrownBy(() -> RedisTarget.parse("redis-cluster://"))
        .hasMessageContaining("no seed node");
  }

  @Test
  void unknownSchemesAreRefusedNamingTheKnownOnes() {
    assertThatThrownBy(() -> RedisTarget.parse("http://a:1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid Redis URI 'http://a:1': unknown scheme 'http': expected redis://, rediss://,"
                + " redis-sentinel:// or redis-cluster://");
    assertThatThrownBy(() -> RedisTarget.parse("localhost:6379"))
        .hasMessageStartingWith("Invalid Redis URI 'localhost:6379': expected");
  }

  @Test
  void passwordsNeverAppearInTheText() {
    assertThat(RedisTarget.parse("redis://:pw@h:1").text()).isEqualTo("redis://:***@h:1");
    assertThat(RedisTarget.parse("redis://pw@h:1").text()).isEqualTo("redis://:***@h:1");
    assertThatThrownBy(() -> RedisTarget.parse("redis-sentinel://:pw@h:1"))
        .hasMessageNotContaining("pw@");
    assertThat(RedisTarget.parse("redis://:pw@h:1").toString()).doesNotContain("pw");
  }
}
