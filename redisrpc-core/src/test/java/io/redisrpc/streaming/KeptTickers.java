package io.redisrpc.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** {@link Ticks} that keeps every ticker it hands out, for the test to look at. */
public class KeptTickers extends TickerService {
  public final LinkedBlockingQueue<Ticker> made = new LinkedBlockingQueue<>();

  @Override
  protected Flow.Publisher<Integer> made(Ticker ticker) {
    made.add(ticker);
    return ticker;
  }

  /** The next ticker handed out, waiting at most 10 s for the handler to run. */
  public Ticker next() throws InterruptedException {
    Ticker ticker = made.poll(10, TimeUnit.SECONDS);
    assertThat(ticker).as("the handler ran").isNotNull();
    return ticker;
  }
}
