package io.redisrpc.bench;

import io.redisrpc.Endpoint;
import io.redisrpc.RpcService;
import java.util.List;
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

  /**
   * The same echo as services of other names, for {@code --shards} on a Redis Cluster: a service
   * lives in the slot of its name, so several services spread over the primaries. {@link BenchEcho}
   * itself first, then {@code bench.Echo.1} to {@code bench.Echo.7}.
   */
  List<Class<? extends BenchEcho>> SHARDS =
      List.of(
          BenchEcho.class,
          Shard1.class,
          Shard2.class,
          Shard3.class,
          Shard4.class,
          Shard5.class,
          Shard6.class,
          Shard7.class);

  /** {@code bench.Echo.1}. */
  @RpcService("bench.Echo.1")
  interface Shard1 extends BenchEcho {}

  /** {@code bench.Echo.2}. */
  @RpcService("bench.Echo.2")
  interface Shard2 extends BenchEcho {}

  /** {@code bench.Echo.3}. */
  @RpcService("bench.Echo.3")
  interface Shard3 extends BenchEcho {}

  /** {@code bench.Echo.4}. */
  @RpcService("bench.Echo.4")
  interface Shard4 extends BenchEcho {}

  /** {@code bench.Echo.5}. */
  @RpcService("bench.Echo.5")
  interface Shard5 extends BenchEcho {}

  /** {@code bench.Echo.6}. */
  @RpcService("bench.Echo.6")
  interface Shard6 extends BenchEcho {}

  /** {@code bench.Echo.7}. */
  @RpcService("bench.Echo.7")
  interface Shard7 extends BenchEcho {}

  /**
   * The same echo for the {@code signed} system, whose server takes only requests signed under a
   * shared secret (and so cannot serve the other systems' unsigned ones): {@code bench.SignedEcho},
   * then {@code bench.SignedEcho.1} to {@code .7}, as {@link #SHARDS} for {@code --shards}.
   */
  List<Class<? extends BenchEcho>> SIGNED_SHARDS =
      List.of(
          Signed.class,
          Signed1.class,
          Signed2.class,
          Signed3.class,
          Signed4.class,
          Signed5.class,
          Signed6.class,
          Signed7.class);

  /** {@code bench.SignedEcho}. */
  @RpcService("bench.SignedEcho")
  interface Signed extends BenchEcho {}

  /** {@code bench.SignedEcho.1}. */
  @RpcService("bench.SignedEcho.1")
  interface Signed1 extends BenchEcho {}

  /** {@code bench.SignedEcho.2}. */
  @RpcService("bench.SignedEcho.2")
  interface Signed2 extends BenchEcho {}

  /** {@code bench.SignedEcho.3}. */
  @RpcService("bench.SignedEcho.3")
  interface Signed3 extends BenchEcho {}

  /** {@code bench.SignedEcho.4}. */
  @RpcService("bench.SignedEcho.4")
  interface Signed4 extends BenchEcho {}

  /** {@code bench.SignedEcho.5}. */
  @RpcService("bench.SignedEcho.5")
  interface Signed5 extends BenchEcho {}

  /** {@code bench.SignedEcho.6}. */
  @RpcService("bench.SignedEcho.6")
  interface Signed6 extends BenchEcho {}

  /** {@code bench.SignedEcho.7}. */
  @RpcService("bench.SignedEcho.7")
  interface Signed7 extends BenchEcho {}

  /** The server side, of every shard, signed or not. */
  final class Impl
      implements Shard1,
          Shard2,
          Shard3,
          Shard4,
          Shard5,
          Shard6,
          Shard7,
          Signed,
          Signed1,
          Signed2,
          Signed3,
          Signed4,
          Signed5,
          Signed6,
          Signed7 {
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
