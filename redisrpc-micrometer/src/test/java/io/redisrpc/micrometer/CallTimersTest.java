package io.redisrpc.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Timer;
import io.redisrpc.RemoteException;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Observations become call-duration timers, one series per method and outcome. */
@WithRedis
class CallTimersTest {
  @Test
  void callsRecordClientAndServerTimersTaggedByMethodAndStatus(RedisProcess redis) {
    try (Tracing tracing = new Tracing();
        ObservedGreeter greeter = ObservedGreeter.connect(redis, tracing.observations)) {
      greeter.proxy().greet("ada");
      greeter.proxy().greet("bob");
      assertThatThrownBy(() -> greeter.proxy().missing("eve")).isInstanceOf(RemoteException.class);

      for (String name : new String[] {"rpc.client.call.duration", "rpc.server.call.duration"}) {
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  Timer ok =
                      tracing
                          .meters
                          .get(name)
                          .tags(
                              "rpc.system", "redisrpc",
                              "rpc.service", "Greeter",
                              "rpc.method", "greet",
                              "rpc.response.status_code", "OK",
                              "error.type", "none")
                          .timer();
                  Timer notFound =
                      tracing
                          .meters
                          .get(name)
                          .tags(
                              "rpc.method", "missing",
                              "rpc.response.status_code", "NOT_FOUND",
                              "error.type", "NOT_FOUND")
                          .timer();
                  assertThat(ok.count()).isEqualTo(2);
                  assertThat(notFound.count()).isEqualTo(1);
                  assertThat(ok.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
                });
      }
    }
  }
}
