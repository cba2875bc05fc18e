package io.redisrpc.streaming;

import java.util.concurrent.Flow;

/** {@link Ticks} served with {@link Ticker}s, each handed to {@link #made} before it streams. */
public abstract class TickerService implements Ticks {
  /** What the handler returns for {@code ticker}: usually {@code ticker}, kept or announced. */
  protected abstract Flow.Publisher<Integer> made(Ticker ticker);

  @Override
  public Flow.Publisher<Integer> count(int count) {
    return made(new Ticker(count, null));
  }

  @Override
  public Flow.Publisher<Integer> endless() {
    return made(Ticker.endless());
  }

  @Override
  public Flow.Publisher<Integer> failAfter(int count, String message) {
    return made(new Ticker(count, new IllegalStateException(message)));
  }

  @Override
  public Flow.Publisher<Integer> silent() {
    return made(Ticker.silent());
  }
}
