package io.redisrpc.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisrpc.RpcRegistry;
import io.redisrpc.examples.dropbox.DropboxService;
import io.redisrpc.examples.springboot.client.DropboxClientApplication;
import io.redisrpc.examples.springboot.client.DropboxSession;
import io.redisrpc.examples.springboot.server.DropboxServerApplication;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/** The two applications, each in its own context, meeting through a real Redis. */
@WithRedis
class DropboxApplicationsTest {

  @Test
  void theClientsSessionRunsAgainstTheServerThenTheServerWithdrawsOnClose(RedisProcess redis) {
    String url = "--redisrpc.redis-url=" + redis.uri();
    // The application's Jackson 3 settings apply to its own JSON, not to redisrpc's wire format.
    ConfigurableApplicationContext server =
        new SpringApplicationBuilder(DropboxServerApplication.class)
            .run(url, "--spring.jackson.property-naming-strategy=SNAKE_CASE");
    try (RpcRegistry registry = RpcRegistry.connect(redis.uri(), Duration.ofSeconds(2))) {
      try {
        assertThat(registry.instances("Dropbox")).hasSize(1);
        assertThat(server.getBean(JsonMapper.class).writeValueAsString(new Probe("x")))
            .isEqualTo("{\"file_name\":\"x\"}");
        try (ConfigurableApplicationContext client =
            new SpringApplicationBuilder(DropboxClientApplication.class).run(url)) {
          assertThat(client.getBean(DropboxSession.class).transcript())
              .containsExactly(
                  "uploadFile(file1) -> 4",
                  "uploadFile(file2) -> 5",
                  "getFileNames() -> [file1, file2]",
                  "downloadFile(file1) -> 1234",
                  "countFiles() -> 2",
                  "uploadFile(file3) ! TooManyFilesException: too many files",
                  "downloadFile(missing) ! NOT_FOUND: no file named missing");
          assertThat(client.containsBean("dropboxService")).isFalse();
        }
        assertThat(server.getBean(DropboxService.class).getFileNames())
            .containsExactly("file1", "file2");
      } finally {
        server.close();
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> registry.instances("Dropbox").isEmpty());
    }
  }

  record Probe(String fileName) {}

  @Test
  void theServerTakesItsRedisFromSpringDataRedisProperties(RedisProcess redis) {
    try (ConfigurableApplicationContext server =
            new SpringApplicationBuilder(DropboxServerApplication.class)
                .run(
                    "--spring.data.redis.host=" + redis.host(),
                    "--spring.data.redis.port=" + redis.port());
        RpcRegistry registry = RpcRegistry.connect(redis.uri(), Duration.ofSeconds(2))) {
      assertThat(registry.instances("Dropbox")).hasSize(1);
      assertThat(server.getBean(io.redisrpc.RedisRpc.class).uri())
          .isEqualTo("redis://" + redis.host() + ":" + redis.port());
    }
  }
}
