package io.redisrpc.internal.transport;

import io.redisrpc.internal.connection.RedisLink;
import java.time.Duration;

/** How a server receives calls and answers them: one implementation per wire protocol. */
public interface ServerChannel {
  /** Connects through {@code link} and starts serving; returns once calls can arrive. */
  void connect(RedisLink link);

  /** Stops taking calls, waits up to {@code timeout} for those in flight, and closes. */
  boolean shutdown(Duration timeout);

  /** Calls taken and not yet answered. */
  int inFlight();

  /** Whether serving. */
  boolean isRunning();

  /** Messages refused as malformed, oversized or misaddressed. */
  long rejectedMessages();
}
