package io.redisrpc.reliability;

import io.redisrpc.RpcServer;
import java.time.Duration;

/** A server in its own JVM, for tests that kill it: args are the Redis URI and the work time. */
public final class ServerMain {
  private ServerMain() {}

  public static void main(String[] args) throws Exception {
    RpcServer.builder(Work.class, (Work) new Work.Impl(Long.parseLong(args[1]), true))
        .visibilityTimeout(Duration.ofMillis(500))
        .maxConcurrency(8)
        .build()
        .connect(args[0]);
    System.out.println("READY");
    System.out.flush();
    // Serve until killed, or until the test JVM that started us is gone (our stdin closes), so
    // that no server outlives a test run that died.
    while (System.in.read() != -1) {
      // discard
    }
    System.exit(0);
  }
}
