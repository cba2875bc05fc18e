package io.redisrpc.micrometer;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.redisrpc.RemoteException;
import io.redisrpc.StatusCode;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** One observation per call on each side, named and tagged after the RPC conventions. */
@WithRedis
class CallObservationTest {
  private static final String CLIENT = DefaultRpcClientObservationConvention.NAME;
  private static final String SERVER = DefaultRpcServerObservationConvention.NAME;

  /** Waits for the one observation named {@code name} to stop. */
  private static void awaitStopped(TestObservationRegistry registry, String name) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(registry)
                    .hasNumberOfObservationsWithNameEqualTo(name, 1)
                    .hasObservationWithNameEqualTo(name)
                    .that()
                    .hasBeenStopped());
  }

  @Test
  void aSuccessfulCallIsObservedOnceOnEachSideWithTheConventionsTags(RedisProcess redis) {
    TestObservationRegistry registry = TestObservationRegistry.create();
    try (ObservedGreeter greeter = ObservedGreeter.connect(redis, registry)) {
      assertThat(greeter.proxy().greet("ada")).isEqualTo("hello ada");

      for (String name : new String[] {CLIENT, SERVER}) {
        awaitStopped(registry, name);
        assertThat(registry)
            .hasObservationWithNameEqualTo(name)
            .that()
            .hasContextualNameEqualTo("Greeter/greet")
            .hasLowCardinalityKeyValue("rpc.system", "redisrpc")
            .hasLowCardinalityKeyValue("rpc.service", "Greeter")
            .hasLowCardinalityKeyValue("rpc.method", "greet")
            .hasLowCardinalityKeyValue("rpc.response.status_code", "OK")
            .hasLowCardinalityKeyValue("error.type", "none")
            .doesNotHaveError();
      }
    }
  }

  @Test
  void aFailedCallIsObservedWithItsStatusCodeAndErrorTypeOnBothSides(RedisProcess redis) {
    TestObservationRegistry registry = TestObservationRegistry.create();
    try (ObservedGreeter greeter = ObservedGreeter.connect(redis, registry)) {
      assertThatThrownBy(() -> greeter.proxy().missing("bob"))
          .isInstanceOfSatisfying(
              RemoteException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND));

      for (String name : new String[] {CLIENT, SERVER}) {
        awaitStopped(registry, name);
        assertThat(registry)
            .hasObservationWithNameEqualTo(name)
            .that()
            .hasContextualNameEqualTo("Greeter/missing")
            .hasLowCardinalityKeyValue("rpc.method", "missing")
            .hasLowCardinalityKeyValue("rpc.response.status_code", "NOT_FOUND")
            .hasLowCardinalityKeyValue("error.type", "NOT_FOUND")
            .hasError();
      }
    }
  }

  @Test
  void withoutObservationHandlersCallsPassThroughUntouched(RedisProcess redis) {
    try (ObservedGreeter greeter = ObservedGreeter.connect(redis, ObservationRegistry.NOOP)) {
      assertThat(greeter.proxy().greet("ada")).isEqualTo("hello ada");
      assertThat(greeter.proxy().headers()).isEmpty();
    }
  }
}
