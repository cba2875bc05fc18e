package io.redisrpc.streaming;

import io.redisrpc.Endpoint;
import io.redisrpc.RpcService;
import java.util.concurrent.Flow;

/** A streaming service: its endpoints answer with streams of numbers. */
@RpcService("Ticks")
public interface Ticks {
  /** 0 to {@code count} - 1. */
  @Endpoint
  Flow.Publisher<Integer> count(int count);

  /** Numbers without end, as fast as the caller takes them. */
  @Endpoint
  Flow.Publisher<Integer> endless();

  /** {@code count} numbers, then an error saying {@code message}. */
  @Endpoint
  Flow.Publisher<Integer> failAfter(int count, String message);

  /** Nothing, ever, however much is asked. */
  @Endpoint(timeoutMillis = 700)
  Flow.Publisher<Integer> silent();
}
