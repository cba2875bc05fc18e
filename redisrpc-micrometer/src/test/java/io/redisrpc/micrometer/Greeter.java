package io.redisrpc.micrometer;

import io.redisrpc.CallContext;
import io.redisrpc.Endpoint;
import io.redisrpc.RpcService;
import java.util.Map;
import java.util.NoSuchElementException;

/** The service the tests call. */
@RpcService("Greeter")
public interface Greeter {
  @Endpoint
  String greet(String name);

  /** Fails with {@code NOT_FOUND}. */
  @Endpoint
  String missing(String name);

  /** The headers the handler saw. */
  @Endpoint
  Map<String, String> headers();

  /** The implementation: plain answers, a NoSuchElementException, the current headers. */
  final class Impl implements Greeter {
    @Override
    public String greet(String name) {
      return "hello " + name;
    }

    @Override
    public String missing(String name) {
      throw new NoSuchElementException("no " + name);
    }

    @Override
    public Map<String, String> headers() {
      return CallContext.current().headers().asMap();
    }
  }
}
