package io.redisrpc.spring.boot;

import io.redisrpc.Endpoint;
import io.redisrpc.RpcService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A service whose calls wait for a latch: calls in flight at shutdown. */
@RpcService("Latched")
public interface Latched {
  @Endpoint(timeoutMillis = 30_000)
  String await(String name);

  /** Answers once {@link #release} is counted down, waiting 20 s at most. */
  @io.redisrpc.spring.boot.ServeRpc
  final class Impl implements Latched {
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public String await(String name) {
      try {
        if (!release.await(20, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted");
      }
      return "released " + name;
    }
  }
}
