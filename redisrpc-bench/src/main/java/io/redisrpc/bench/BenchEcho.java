package io.redisrpc.bench;

import io.redisrpc.Endpoint;
import io.redisrpc.RpcService;
import java.util.concurrent.CompletableFuture;

/** The redisrpc service of the benchmark: an echo, at-most-once and at-least-once. */
@RpcService("bench.Echo")
public interface BenchEcho {
  /** Returns {@code payload}; acknowledged when taken (at-most-once). */
  @Endpoint
  CompletableFuture<byte[]> echo(byte[] payload);

  /** Returns {@code payload}; acknowledged after the reply is published (at-least-once). */
  @Endpoint(idempotent = true)
  CompletableFuture<byte[]> echoIdempotent(byte[] payload);

  /** The server side. */
  final class Impl implements BenchEcho {
    @Override
    public CompletableFuture<byte[]> echo(byte[] payload) {
      return CompletableFuture.completedFuture(payload);
    }

    @Override
    public CompletableFuture<byte[]> echoIdempotent(byte[] payload) {
      return CompletableFuture.completedFuture(payload);
    }
  }
}
