package io.redisrpc.bench;

import io.redisrpc.Codec;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * redisrpc as its users run it: one server of {@link BenchEcho} and one client per codec, each with
 * its own connections, all in this JVM. Four targets: JSON and MessagePack, default (at-most-once)
 * and idempotent (at-least-once) endpoints.
 */
final class RedisRpcTargets implements AutoCloseable {
  private final RpcServer server;
  private final List<RpcClient<BenchEcho>> clients = new ArrayList<>();
  private final List<Target> targets = new ArrayList<>();

  RedisRpcTargets(String redisUri, int maxInFlight) {
    this.server =
        RpcServer.builder(BenchEcho.class, new BenchEcho.Impl())
            .maxConcurrency(Math.max(1, maxInFlight))
            .build()
            .connect(redisUri);
    try {
      for (Codec codec : List.of(Codec.MSGPACK, Codec.JSON)) {
        RpcClient<BenchEcho> client =
            RpcClient.builder(BenchEcho.class)
                .codec(codec)
                .timeout(Duration.ofSeconds(30))
                .build()
                .connect(redisUri);
        clients.add(client);
        BenchEcho proxy = client.proxy();
        targets.add(new RpcTarget(codec, false, proxy));
        targets.add(new RpcTarget(codec, true, proxy));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  List<Target> targets() {
    return targets;
  }

  @Override
  public void close() {
    for (RpcClient<BenchEcho> client : clients) {
      client.close();
    }
    server.close();
  }

  private record RpcTarget(Codec codecValue, boolean idempotent, BenchEcho proxy)
      implements Target {
    @Override
    public String id() {
      return "redisrpc-" + codecValue.name() + (idempotent ? "-idem" : "");
    }

    @Override
    public String system() {
      return "redisrpc";
    }

    @Override
    public String codec() {
      return codecValue.name();
    }

    @Override
    public String workload() {
      return idempotent ? "idempotent" : "default";
    }

    @Override
    public CompletableFuture<byte[]> call(byte[] payload) {
      return idempotent ? proxy.echoIdempotent(payload) : proxy.echo(payload);
    }
  }
}
