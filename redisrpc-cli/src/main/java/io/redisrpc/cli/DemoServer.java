package io.redisrpc.cli;

import io.redisrpc.RpcServer;
import io.redisrpc.examples.dropbox.Dropbox;
import io.redisrpc.examples.dropbox.DropboxDemo;
import io.redisrpc.examples.dropbox.DropboxService;
import io.redisrpc.testing.RedisProcess;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * {@code redisrpc demo --serve}: the Dropbox server alone, serving until the process is
 * interrupted, for trying {@code services}, {@code describe}, {@code call}, {@code ping} and {@code
 * stats} on. It withdraws cleanly on Ctrl-C.
 */
final class DemoServer {
  private DemoServer() {}

  /** Serves on the Redis at {@code uri}, or on an embedded one when it is null; never returns. */
  static int serve(String uri, PrintStream out) throws InterruptedException {
    RedisProcess embedded = null;
    String redis = uri;
    if (redis == null) {
      embedded = RedisProcess.start();
      redis = embedded.uri();
      out.println("# no --redis or REDIS_URL: started an embedded Redis");
      out.println("# in another shell: export REDIS_URL=" + redis);
    }
    RedisProcess ownRedis = embedded;
    RpcServer server;
    try {
      server =
          RpcServer.create(Dropbox.class, new DropboxService(DropboxDemo.MAX_FILES)).connect(redis);
    } catch (RuntimeException e) {
      if (ownRedis != null) {
        ownRedis.close();
      }
      throw e;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  if (ownRedis != null) {
                    ownRedis.close();
                  }
                },
                "redisrpc-demo-stop"));
    out.println(
        "# Dropbox server "
            + server.instanceId()
            + " (at most "
            + DropboxDemo.MAX_FILES
            + " files) serving at "
            + DemoCommand.redact(redis)
            + "; Ctrl-C to stop");
    out.flush();
    new CountDownLatch(1).await();
    return CliCommand.EXIT_OK;
  }
}
