package io.redisrpc.events;

import io.redisrpc.EventListener;
import io.redisrpc.RpcCall;
import java.time.Duration;
import java.util.List;

/** The README's listener: one per call, it keeps the time from enqueued to reply received. */
// README:listener:begin
public final class RoundTrips extends EventListener {
  private final List<Duration> roundTrips;
  private long enqueued;

  public RoundTrips(List<Duration> roundTrips) {
    this.roundTrips = roundTrips;
  }

  @Override
  public void requestEnqueued(RpcCall call, long nanoTime) {
    enqueued = nanoTime;
  }

  @Override
  public void replyReceived(RpcCall call, long nanoTime) {
    roundTrips.add(Duration.ofNanos(nanoTime - enqueued)); // queue + handler + reply
  }
}
// README:listener:end
