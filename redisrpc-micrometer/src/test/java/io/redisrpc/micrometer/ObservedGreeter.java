package io.redisrpc.micrometer;

import io.micrometer.observation.ObservationRegistry;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.testing.RedisProcess;

/** A {@link Greeter} server and a client of it, both observed in one registry. */
final class ObservedGreeter implements AutoCloseable {
  final RpcServer server;
  final RpcClient<Greeter> client;

  private ObservedGreeter(RpcServer server, RpcClient<Greeter> client) {
    this.server = server;
    this.client = client;
  }

  static ObservedGreeter connect(RedisProcess redis, ObservationRegistry observations) {
    RpcServer server =
        RpcServer.builder(Greeter.class, new Greeter.Impl())
            .addInterceptor(ObservationServerInterceptor.create(observations))
            .build()
            .connect(redis.uri());
    RpcClient<Greeter> client =
        RpcClient.builder(Greeter.class)
            .addInterceptor(ObservationClientInterceptor.create(observations))
            .build()
            .connect(redis.uri());
    return new ObservedGreeter(server, client);
  }

  Greeter proxy() {
    return client.proxy();
  }

  @Override
  public void close() {
    client.close();
    server.close();
  }
}
