package io.redisrpc.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redisrpc.CallContext;
import io.redisrpc.CallOptions;
import io.redisrpc.Codec;
import io.redisrpc.DeadlineExceededException;
import io.redisrpc.Endpoint;
import io.redisrpc.RemoteException;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.StatusCode;
import io.redisrpc.codecs.CapturedRequest;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A call with an idempotency key runs once per key within the server's window. */
@WithRedis
class IdempotencyTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RpcService("Payments")
  public interface Payments {
    @Endpoint
    int charge(int cents);

    @Endpoint
    int refund(int cents);

    @Endpoint
    String key();

    @Endpoint
    int slowCharge(int cents);

    @Endpoint
    CompletableFuture<Integer> chargeLater(int cents);
  }

  static final class PaymentService implements Payments {
    final AtomicInteger runs = new AtomicInteger();
    final CountDownLatch slowStarted = new CountDownLatch(1);
    final CountDownLatch slowRelease = new CountDownLatch(1);

    @Override
    public int charge(int cents) {
      int run = runs.incrementAndGet();
      if (cents < 0) {
        throw new IllegalStateException("negative charge, run " + run);
      }
      return run;
    }

    @Override
    public int refund(int cents) {
      return -runs.incrementAndGet();
    }

    @Override
    public String key() {
      return CallContext.current().call().orElseThrow().idempotencyKey().orElse("none");
    }

    @Override
    public int slowCharge(int cents) {
      int run = runs.incrementAndGet();
      slowStarted.countDown();
      try {
        slowRelease.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return run;
    }

    @Override
    public CompletableFuture<Integer> chargeLater(int cents) {
      return CompletableFuture.completedFuture(runs.incrementAndGet());
    }
  }

  @Test
  void aSecondCallWithTheKeyGetsTheFirstResultAndTheHandlerRunsOnce(RedisProcess redis) {
    PaymentService service = new PaymentService();
    try (RpcServer server = RpcServer.create(Payments.class, service).connect(redis.uri());
        RpcClient<Payments> client = RpcClient.create(Payments.class).connect(redis.uri())) {
      Payments once =
          client.withOptions(CallOptions.DEFAULT.withIdempotencyKey("order-42")).proxy();
      assertThat(once.charge(100)).isEqualTo(1);
      assertThat(once.charge(100)).isEqualTo(1);
      assertThat(once.chargeLater(100).join()).as("another endpoint, another record").isEqualTo(2);
      assertThat(once.chargeLater(100).join()).isEqualTo(2);
      assertThat(service.runs).hasValue(2);

      Payments other =
          client.withOptions(CallOptions.DEFAULT.withIdempotencyKey("order-43")).proxy();
      assertThat(other.charge(100)).isEqualTo(3);
      assertThat(client.proxy().charge(100)).as("no key, no record").isEqualTo(4);
      assertThat(client.proxy().charge(100)).isEqualTo(5);
    }
  }

  @Test
  void theFirstCallsErrorIsAnsweredAgainAsItWas(RedisProcess redis) {
    PaymentService service = new PaymentService();
    try (RpcServer server = RpcServer.create(Payments.class, service).connect(redis.uri());
        RpcClient<Payments> client = RpcClient.create(Payments.class).connect(redis.uri())) {
      Payments once = client.withOptions(CallOptions.DEFAULT.withIdempotencyKey("bad-1")).proxy();
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> once.charge(-1))
            .isInstanceOf(RemoteException.class)
            .hasMessageContaining("negative charge, run 1")
            .satisfies(
                e -> {
                  RemoteException remote = (RemoteException) e;
                  assertThat(remote.code()).isEqualTo(StatusCode.FAILED_PRECONDITION);
                  assertThat(remote.remoteType()).contains("java.lang.IllegalStateException");
                });
      }
      assertThat(service.runs).hasValue(1);
    }
  }

  @Test
  void aCallWhileTheFirstRunsIsAbortedAndAfterItGetsTheFirstResult(RedisProcess redis)
      throws Exception {
    PaymentService service = new PaymentService();
    try (RpcServer server = RpcServer.create(Payments.class, service).connect(redis.uri());
        RpcClient<Payments> client = RpcClient.create(Payments.class).connect(redis.uri())) {
      Payments once = client.withOptions(CallOptions.DEFAULT.withIdempotencyKey("slow-1")).proxy();
      CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> once.slowCharge(5));
      assertThat(service.slowStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

      assertThatThrownBy(() -> once.slowCharge(5))
          .isInstanceOf(RemoteException.class)
          .hasMessageContaining(
              "Payments.slowCharge with idempotency key 'slow-1' is still running")
          .extracting(e -> ((RemoteException) e).code())
          .isEqualTo(StatusCode.ABORTED);

      service.slowRelease.countDown();
      assertThat(first.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(1);
      assertThat(once.slowCharge(5)).isEqualTo(1);
      assertThat(service.runs).hasValue(1);
    }
  }

  @Test
  void aCallThatEndedAtItsDeadlineMayBeTriedAgainWithItsKey(RedisProcess redis) {
    PaymentService service = new PaymentService();
    try (RpcServer server = RpcServer.create(Payments.class, service).connect(redis.uri());
        RpcClient<Payments> client = RpcClient.create(Payments.class).connect(redis.uri())) {
      CallOptions key = CallOptions.DEFAULT.withIdempotencyKey("late-1");
      Payments hurried = client.withOptions(key.withTimeout(Duration.ofMillis(300))).proxy();
      assertThatThrownBy(() -> hurried.slowCharge(5)).isInstanceOf(DeadlineExceededException.class);

      service.slowRelease.countDown();
      Payments patient = client.withOptions(key).proxy();
      // Not answered with the first call's outcome: the handler runs for the retry. (Whether the
      // first call ran before its deadline depends on how soon the server took it.)
      Awaitility.await()
          .atMost(WAIT)
          .ignoreException(RemoteException.class)
          .until(() -> patient.slowCharge(5) == service.runs.get());
      assertThat(service.runs.get()).isBetween(1, 2);
    }
  }

  @Test
  void theKeyIsSharedByCodecsAndServersAndForgottenAfterTheWindow(RedisProcess redis) {
    PaymentService one = new PaymentService();
    PaymentService two = new PaymentService();
    try (RpcServer first =
            RpcServer.builder(Payments.class, one)
                .idempotencyWindow(Duration.ofSeconds(2))
                .build()
                .connect(redis.uri());
        RpcServer second =
            RpcServer.builder(Payments.class, two)
                .idempotencyWindow(Duration.ofSeconds(2))
                .build()
                .connect(redis.uri());
        RpcClient<Payments> client = RpcClient.create(Payments.class).connect(redis.uri())) {
      CallOptions key = CallOptions.DEFAULT.withIdempotencyKey("shared-1");
      assertThat(client.withOptions(key).proxy().refund(1)).isEqualTo(-1);
      for (int i = 0; i < 10; i++) {
        assertThat(client.withOptions(key.withCodec(Codec.MSGPACK)).proxy().refund(1))
            .isEqualTo(-1);
      }
      assertThat(one.runs.get() + two.runs.get()).isEqualTo(1);

      Payments keyed = client.withOptions(key).proxy();
      Awaitility.await()
          .atMost(WAIT)
          .until(
              () -> {
                keyed.refund(1);
                return one.runs.get() + two.runs.get() == 2;
              });
    }
  }

  @Test
  void aKeyTravelsInARequestOfVersion4AndOtherRequestsStayVersion3(RedisProcess redis) {
    try (RpcClient<Payments> client =
        RpcClient.builder(Payments.class)
            .timeout(Duration.ofMillis(300))
            .build()
            .connect(redis.uri())) {
      Payments keyed = client.withOptions(CallOptions.DEFAULT.withIdempotencyKey("w-1")).proxy();
      assertThat(CapturedRequest.of(redis, "Payments", () -> keyed.charge(7)).text())
          .startsWith("{\"v\":4,")
          .contains(",\"idempotency_key\":\"w-1\",\"args\":[7]}");
      assertThat(CapturedRequest.of(redis, "Payments", () -> client.proxy().charge(7)).text())
          .startsWith("{\"v\":3,")
          .doesNotContain("idempotency_key");
    }
  }

  @Test
  void theHandlerSeesTheKeyOfItsCall(RedisProcess redis) {
    try (RpcServer server =
            RpcServer.create(Payments.class, new PaymentService()).connect(redis.uri());
        RpcClient<Payments> client = RpcClient.create(Payments.class).connect(redis.uri())) {
      assertThat(client.withOptions(CallOptions.DEFAULT.withIdempotencyKey("k")).proxy().key())
          .isEqualTo("k");
      assertThat(client.proxy().key()).isEqualTo("none");
    }
  }
}
