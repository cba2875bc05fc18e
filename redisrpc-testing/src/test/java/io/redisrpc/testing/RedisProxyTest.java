package io.redisrpc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

@WithRedis
class RedisProxyTest {
  @Test
  void forwardsCommandsToRedis(RedisProcess redis) throws Exception {
    try (RedisProxy proxy = RedisProxy.to(redis);
        Resp resp = Resp.connect(proxy.port())) {
      assertThat(resp.command("SET", "proxied", "yes")).isEqualTo("OK");
      assertThat(resp.command("GET", "proxied")).isEqualTo("yes");
      assertThat(proxy.uri()).isEqualTo("redis://127.0.0.1:" + proxy.port());
      assertThat(proxy.acceptedConnections()).isEqualTo(1);
    }
  }

  @Test
  void droppedConnectionsFailAndNewOnesWork(RedisProcess redis) throws Exception {
    try (RedisProxy proxy = RedisProxy.to(redis)) {
      Resp first = Resp.connect(proxy.port());
      assertThat(first.command("PING")).isEqualTo("PONG");
      proxy.dropConnections();
      assertThatThrownBy(() -> first.command("PING")).isInstanceOf(IOException.class);
      first.close();
      try (Resp second = Resp.connect(proxy.port())) {
        assertThat(second.command("PING")).isEqualTo("PONG");
      }
    }
  }

  @Test
  void refusedConnectionsAreClosedAtOnceUntilAllowedAgain(RedisProcess redis) throws Exception {
    try (RedisProxy proxy = RedisProxy.to(redis)) {
      proxy.refuseConnections(true);
      try (Resp refused = Resp.connect(proxy.port())) {
        assertThatThrownBy(() -> refused.command("PING")).isInstanceOf(IOException.class);
      }
      proxy.refuseConnections(false);
      try (Resp allowed = Resp.connect(proxy.port())) {
        assertThat(allowed.command("PING")).isEqualTo("PONG");
      }
    }
  }

  @Test
  void aLostReplyRunsTheCommandButNeverAnswersIt(RedisProcess redis) throws Exception {
    try (RedisProxy proxy = RedisProxy.to(redis);
        Resp direct = Resp.connect(redis.port())) {
      direct.command("DEL", "counter");
      Resp cut = Resp.connect(proxy.port());
      proxy.loseReplyTo("INCR");
      assertThatThrownBy(() -> cut.command("INCR", "counter")).isInstanceOf(IOException.class);
      cut.close();
      assertThat(proxy.lostReplies()).isEqualTo(1);
      // It ran, once; the fault was one-time, so the next connection works as before.
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> "1".equals(direct.command("GET", "counter")));
      try (Resp after = Resp.connect(proxy.port())) {
        assertThat(after.command("INCR", "counter")).isEqualTo("2");
      }
    }
  }

  @Test
  void aFrozenProxyAnswersNothingUntilItThaws(RedisProcess redis) throws Exception {
    try (RedisProxy proxy = RedisProxy.to(redis);
        Resp resp = Resp.connect(proxy.port())) {
      assertThat(resp.command("PING")).isEqualTo("PONG");
      proxy.freeze(true);
      java.util.concurrent.CompletableFuture<String> ping =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  return resp.command("PING");
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      org.awaitility.Awaitility.await()
          .during(java.time.Duration.ofMillis(300))
          .atMost(java.time.Duration.ofSeconds(3))
          .until(() -> !ping.isDone());
      proxy.freeze(false);
      assertThat(ping.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("PONG");
    }
  }

  @Test
  void misuseFailsWithAClearMessage() {
    assertThatThrownBy(() -> RedisProxy.to(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("redis == null");
    try (RedisProxy proxy = RedisProxy.to("127.0.0.1", 1)) {
      assertThatThrownBy(() -> proxy.loseReplyTo(""))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("text is empty");
    }
  }
}
