package io.redisrpc.spring.boot.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisrpc.RedisRpc;
import io.redisrpc.RpcRegistry;
import io.redisrpc.examples.dropbox.Dropbox;
import io.redisrpc.examples.dropbox.DropboxService;
import io.redisrpc.spring.boot.RpcServerLifecycle;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The README's application ("Spring Boot"), started as written against a real Redis: it serves the
 * Dropbox and its runner calls it through the proxy, so through Redis. {@code @WithRedis} comes
 * first so that its Redis stops after {@code @DirtiesContext} closed the context.
 */
@WithRedis
@SpringBootTest(classes = DropboxApplication.class)
@DirtiesContext
class ReadmeApplicationTest {
  private static final Path SOURCE =
      Path.of("src/test/java/io/redisrpc/spring/boot/readme/DropboxApplication.java");
  private static volatile String redisUri;

  @Autowired Dropbox dropbox;
  @Autowired DropboxService served;
  @Autowired RpcServerLifecycle servers;
  @Autowired RedisRpc redisRpc;

  @BeforeAll
  static void redis(RedisProcess redis) {
    redisUri = redis.uri();
  }

  @DynamicPropertySource
  static void redisUrl(DynamicPropertyRegistry registry) {
    registry.add("redisrpc.redis-url", () -> redisUri);
  }

  @Test
  void theRunnerUploadedThroughRedisToTheServedBean() {
    assertThat(Proxy.isProxyClass(dropbox.getClass())).isTrue();
    assertThat(served.getFileNames()).containsExactly("file1");
    assertThat(dropbox.getFileNames()).containsExactly("file1");
    assertThat(redisRpc.uri()).isEqualTo(redisUri);
  }

  @Test
  void theServiceIsRegisteredOnceWhileTheApplicationRuns() {
    assertThat(servers.isRunning()).isTrue();
    try (RpcRegistry registry = RpcRegistry.connect(redisRpc, Duration.ofSeconds(2))) {
      assertThat(registry.instances("Dropbox"))
          .singleElement()
          .satisfies(i -> assertThat(i.id()).isEqualTo(servers.servers().get(0).instanceId()));
    }
  }

  @Test
  void theReadmeShowsTheApplicationVerbatim() throws IOException {
    String source = Files.readString(SOURCE);
    String snippet =
        source.substring(
            source.indexOf("// README:begin\n") + "// README:begin\n".length(),
            source.indexOf("// README:end"));
    assertThat(Files.readString(Path.of("../README.md")).contains("```java\n" + snippet + "```"))
        .as("README.md shows, in a java block:%n%s", snippet)
        .isTrue();
  }
}
