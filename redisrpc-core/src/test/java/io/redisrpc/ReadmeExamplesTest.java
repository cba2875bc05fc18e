package io.redisrpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisrpc.adapters.CallAdapterTest;
import io.redisrpc.adapters.CallAdapterTest.Promised;
import io.redisrpc.adapters.CallAdapterTest.Reactive;
import io.redisrpc.adapters.PromiseAdapterFactory;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Mono;

/**
 * The README's examples of return types, codecs, call options and event listeners: compiled and run
 * here, and shown verbatim there.
 */
@WithRedis
class ReadmeExamplesTest {
  @ParameterizedTest
  @CsvSource({
    "ReadmeExamplesTest.java, mono",
    "adapters/PromiseAdapterFactory.java, adapter",
    "ReadmeExamplesTest.java, adapterRegistration"
  })
  void theReadmeShowsTheExampleVerbatim(String file, String name) {
    String snippet = ReadmeSnippets.snippet(file, name);
    assertThat(ReadmeSnippets.readme().contains(snippet))
        .as("README.md shows, in a java block:%n%s", snippet)
        .isTrue();
  }

  @Test
  void monoExample(RedisProcess redis) {
    try (RpcServer server =
            RpcServer.create(Reactive.class, CallAdapterTest.reactiveService())
                .connect(redis.uri());
        RpcClient<Reactive> client = RpcClient.create(Reactive.class).connect(redis.uri())) {
      // README:mono:begin
      Mono<String> greeting = client.proxy().greet("ada"); // nothing is sent yet
      String text = greeting.block(Duration.ofSeconds(10)); // sent now, and on each subscription
      // README:mono:end
      assertThat(text).isEqualTo("hello ada");
    }
  }

  @Test
  void adapterRegistrationExample(RedisProcess redis) throws Exception {
    Promised impl = CallAdapterTest.PROMISED;
    // README:adapterRegistration:begin
    RpcServer server =
        RpcServer.builder(Promised.class, impl)
            .addCallAdapterFactory(new PromiseAdapterFactory())
            .build();
    RpcClient<Promised> client =
        RpcClient.builder(Promised.class)
            .addCallAdapterFactory(new PromiseAdapterFactory())
            .build();
    // README:adapterRegistration:end
    try (server;
        client) {
      server.connect(redis.uri());
      client.connect(redis.uri());
      assertThat(client.proxy().length("four").await(Duration.ofSeconds(10))).isEqualTo(4);
    }
  }
}
