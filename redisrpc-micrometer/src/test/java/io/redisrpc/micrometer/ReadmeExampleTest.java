package io.redisrpc.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.redisrpc.RedisRpc;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcRegistry;
import io.redisrpc.RpcServer;
import io.redisrpc.examples.dropbox.Dropbox;
import io.redisrpc.examples.dropbox.DropboxService;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The README's example ("Metrics and tracing"), compiled and run as written there. */
@WithRedis
class ReadmeExampleTest {
  private static final Path SOURCE =
      Path.of("src/test/java/io/redisrpc/micrometer/ReadmeExampleTest.java");

  /** The README's lines, between the markers; {@code redis} and both registries are given. */
  static void wire(
      RedisRpc redis, ObservationRegistry observationRegistry, MeterRegistry meterRegistry) {
    // README:begin
    RpcServer server =
        RpcServer.builder(Dropbox.class, new DropboxService(2))
            .addInterceptor(ObservationServerInterceptor.create(observationRegistry))
            .build()
            .connect(redis);
    RpcClient<Dropbox> client =
        RpcClient.builder(Dropbox.class)
            .addInterceptor(ObservationClientInterceptor.create(observationRegistry))
            .build()
            .connect(redis);
    RpcServerMetrics.create(server).bindTo(meterRegistry);
    RpcRegistry rpcRegistry = RpcRegistry.connect(redis, Duration.ofSeconds(2));
    ServiceQueueMetrics.create(rpcRegistry, "Dropbox").bindTo(meterRegistry);
    // README:end
    try {
      assertThat(client.proxy().getFileNames()).isEmpty();
    } finally {
      rpcRegistry.close();
      client.close();
      server.close();
    }
  }

  @Test
  void theReadmeExampleObservesCallsAndMetersTheService(RedisProcess redis) {
    try (Tracing tracing = new Tracing();
        RedisRpc root = RedisRpc.create(redis.uri())) {
      wire(root, tracing.observations, tracing.meters);

      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> tracing.meters.find("rpc.server.call.duration").timer() != null);
      assertThat(
              tracing
                  .meters
                  .get("rpc.client.call.duration")
                  .tag("rpc.service", "Dropbox")
                  .timer()
                  .count())
          .isEqualTo(1);
      assertThat(tracing.meters.find("redisrpc.server.calls.in.flight").gauge()).isNotNull();
      assertThat(tracing.meters.find("redisrpc.queue.length").gauge()).isNotNull();
    }
  }

  @Test
  void theReadmeShowsTheExampleVerbatim() throws IOException {
    String source = Files.readString(SOURCE);
    String snippet =
        source.substring(
            source.indexOf("// README:begin\n") + "// README:begin\n".length(),
            source.indexOf("    // README:end"));
    String unindented =
        Arrays.stream(snippet.split("\n"))
            .map(line -> line.substring(Math.min(4, line.length())))
            .collect(Collectors.joining("\n"));
    assertThat(Files.readString(Path.of("../README.md")).contains(unindented))
        .as("README.md shows, in a java block:%n%s", unindented)
        .isTrue();
  }
}
