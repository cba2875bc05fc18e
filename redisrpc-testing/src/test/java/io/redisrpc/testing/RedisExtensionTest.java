package io.redisrpc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

class RedisExtensionTest {

  @Test
  void oneServerPerClassSharedWithNestedClassesAndClosedAfterwards() {
    Sample.seen.clear();

    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(Sample.class))
        .execute()
        .testEvents()
        .assertStatistics(stats -> stats.started(3).succeeded(3));

    assertThat(Sample.seen).hasSize(3);
    RedisProcess redis = Sample.seen.get(0);
    assertThat(Sample.seen).allSatisfy(seen -> assertThat(seen).isSameAs(redis));
    assertThat(redis.isRunning()).isFalse();
    assertThat(redis.logFile().getParent()).doesNotExist();
  }

  /** Run only through {@link EngineTestKit} above; Surefire skips nested classes. */
  @WithRedis
  static class Sample {
    static final List<RedisProcess> seen = new CopyOnWriteArrayList<>();

    @Test
    void first(RedisProcess redis) throws Exception {
      seen.add(redis);
      assertThat(Resp.call(redis.port(), "PING")).isEqualTo("PONG");
    }

    @Test
    void second(RedisProcess redis) {
      seen.add(redis);
      assertThat(redis.isRunning()).isTrue();
    }

    @Nested
    class Inner {
      @Test
      void nested(RedisProcess redis) {
        seen.add(redis);
      }
    }
  }
}
