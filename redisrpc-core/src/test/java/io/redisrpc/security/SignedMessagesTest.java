package io.redisrpc.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redisrpc.DeadlineExceededException;
import io.redisrpc.Endpoint;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.topology.OnEveryTopology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class SignedMessagesTest extends OnEveryTopology {
  private static final byte[] SECRET =
      "a secret of 32 bytes, not less!!".getBytes(StandardCharsets.UTF_8);

  @RpcService("Signed")
  public interface Vault {
    @Endpoint
    String open(String who);

    @Endpoint
    CompletableFuture<String> openAsync(String who);
  }

  static final class CountingVault implements Vault {
    final AtomicInteger opened = new AtomicInteger();

    @Override
    public String open(String who) {
      opened.incrementAndGet();
      return "opened for " + who;
    }

    @Override
    public CompletableFuture<String> openAsync(String who) {
      return CompletableFuture.completedFuture(open(who));
    }
  }

  @Test
  void forgedRequestsNeverReachAHandler() {
    CountingVault vault = new CountingVault();
    try (RpcServer server =
            RpcServer.builder(Vault.class, (Vault) vault)
                .sharedSecret(SECRET)
                .build()
                .connect(uri());
        RpcClient<Vault> trusted =
            RpcClient.builder(Vault.class).sharedSecret(SECRET).build().connect(uri());
        RpcClient<Vault> stranger =
            RpcClient.builder(Vault.class).timeout(Duration.ofMillis(500)).build().connect(uri());
        RpcClient<Vault> wrongKey =
            RpcClient.builder(Vault.class)
                .sharedSecret("another secret, also 32 bytes!!!".getBytes(StandardCharsets.UTF_8))
                .timeout(Duration.ofMillis(500))
                .build()
                .connect(uri())) {
      assertThat(trusted.proxy().open("alice")).isEqualTo("opened for alice");
      assertThat(vault.opened).hasValue(1);

      assertThatThrownBy(() -> stranger.proxy().open("mallory"))
          .isInstanceOf(DeadlineExceededException.class);
      assertThatThrownBy(() -> wrongKey.proxy().open("mallory"))
          .isInstanceOf(DeadlineExceededException.class);
      String request =
          "{\"id\":\"f1\",\"reply_to\":\"rpc:{Signed}:reply:x\",\"method\":\"open\","
              + "\"args\":[\"mallory\"]}";
      redis().commands().xadd("rpc:{Signed}:requests", Map.of("codec", "json", "payload", request));
      redis()
          .commands()
          .xadd(
              "rpc:{Signed}:requests",
              Map.of("codec", "json", "payload", request, "sig", "0".repeat(32)));

      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.rejectedMessages() >= 4);
      assertThat(trusted.proxy().open("bob")).isEqualTo("opened for bob");
      assertThat(vault.opened).as("only the trusted client's calls ran").hasValue(2);
    }
  }

  @Test
  void forgedRepliesAreDroppedAndTheRealOneIsKept() throws Exception {
    try (RpcServer server =
            RpcServer.builder(Vault.class, (Vault) new CountingVault())
                .sharedSecret(SECRET)
                .build()
                .connect(uri());
        RpcClient<Vault> trusted =
            RpcClient.builder(Vault.class).sharedSecret(SECRET).build().connect(uri())) {
      String channel = "rpc:{Signed}:reply:" + trusted.clientId();
      for (int id = 1; id <= 50; id++) {
        String forged = "{\"id\":\"" + Long.toString(id, 36) + "\",\"result\":\"forged\"}";
        redis().publish(channel, forged);
        redis().publish(channel, "x".repeat(32) + forged);
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> trusted.droppedReplies() >= 100);
      for (int i = 0; i < 5; i++) {
        assertThat(trusted.proxy().openAsync("carol").get(10, TimeUnit.SECONDS))
            .isEqualTo("opened for carol");
      }
    }
  }

  @Test
  void secretsShorterThan16BytesAreRefused() {
    assertThatThrownBy(() -> RpcClient.builder(Vault.class).sharedSecret(new byte[15]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the shared secret must be at least 16 bytes");
  }
}
