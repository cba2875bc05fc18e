package io.redisrpc.reliability;

import io.redisrpc.RpcServer;
import io.redisrpc.streaming.Ticker;
import io.redisrpc.streaming.TickerService;
import io.redisrpc.streaming.Ticks;
import java.util.concurrent.Flow;

/**
 * A streaming server in its own JVM, for tests that kill it mid-stream: args are the Redis URI and
 * an unused argument. It prints {@code STREAMING} when a stream starts.
 */
public final class StreamServerMain extends TickerService {
  private StreamServerMain() {}

  public static void main(String[] args) throws Exception {
    RpcServer.create(Ticks.class, (Ticks) new StreamServerMain()).connect(args[0]);
    System.out.println("READY");
    System.out.flush();
    // Serve until killed, or until the test JVM that started us is gone (our stdin closes).
    while (System.in.read() != -1) {
      // discard
    }
    System.exit(0);
  }

  @Override
  protected Flow.Publisher<Integer> made(Ticker ticker) {
    System.out.println("STREAMING");
    System.out.flush();
    return ticker;
  }
}
