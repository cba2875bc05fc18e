package io.redisrpc.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.redisrpc.RedisRpc;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.examples.dropbox.Dropbox;
import io.redisrpc.examples.dropbox.DropboxService;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's example ("Metrics and tracing", without Micrometer), compiled and run. */
@WithRedis
class ReadmeExampleTest {
  private static final Path SOURCE =
      Path.of("src/test/java/io/redisrpc/opentelemetry/ReadmeExampleTest.java");

  /** The README's lines, between the markers; {@code redis} and {@code openTelemetry} are given. */
  static void wire(RedisRpc redis, OpenTelemetry openTelemetry) {
    // README:begin
    RedisRpcTelemetry telemetry = RedisRpcTelemetry.create(openTelemetry);
    RpcServer server =
        RpcServer.builder(Dropbox.class, new DropboxService(2))
            .addInterceptor(telemetry.serverInterceptor())
            .build()
            .connect(redis);
    RpcClient<Dropbox> client =
        RpcClient.builder(Dropbox.class)
            .addInterceptor(telemetry.clientInterceptor())
            .build()
            .connect(redis);
    // README:end
    try {
      assertThat(client.proxy().getFileNames()).isEmpty();
    } finally {
      client.close();
      server.close();
    }
  }

  @Test
  void theReadmeExampleTracesCalls(RedisProcess redis) {
    try (Telemetry otel = new Telemetry();
        RedisRpc root = RedisRpc.create(redis.uri())) {
      wire(root, otel.sdk);

      assertThat(otel.awaitSpan("Dropbox/getFileNames", SpanKind.SERVER).getParentSpanId())
          .isEqualTo(otel.awaitSpan("Dropbox/getFileNames", SpanKind.CLIENT).getSpanId());
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
