package io.redisrpc.adapters;

import io.redisrpc.Endpoint;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Run by {@link ReactorIsOptionalTest} in a class loader without Reactor: builds a client and a
 * server of a service whose endpoints return a value, nothing, and the two futures.
 */
public final class WithoutReactor {
  private WithoutReactor() {}

  /** A service without Reactor types. */
  public interface Plain {
    @Endpoint
    String value(String text);

    @Endpoint
    void nothing();

    @Endpoint
    CompletableFuture<Integer> future();

    @Endpoint
    CompletionStage<Integer> stage();
  }

  /** Builds a client and a server of {@link Plain}; returns the client's description. */
  public static String build() {
    Plain impl =
        new Plain() {
          @Override
          public String value(String text) {
            return text;
          }

          @Override
          public void nothing() {}

          @Override
          public CompletableFuture<Integer> future() {
            return CompletableFuture.completedFuture(1);
          }

          @Override
          public CompletionStage<Integer> stage() {
            return CompletableFuture.completedFuture(2);
          }
        };
    RpcServer.create(Plain.class, impl);
    return RpcClient.create(Plain.class).toString();
  }
}
