package io.redisrpc;

import io.redisrpc.internal.transport.RawCalls;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Calls any service without its Java interface: arguments and results are JSON text, sent in the
 * JSON codec of the native protocol. What the {@code redisrpc call} command uses; handy for
 * scripts, tests and tools. Numbers pass through exactly as written.
 *
 * <pre>{@code
 * try (DynamicClient client = DynamicClient.connect("redis://localhost:6379", "Dropbox")) {
 *   String names = client.call("getFileNames", "[]", Duration.ofSeconds(5)); // ["file1"]
 * }
 * }</pre>
 *
 * <p>It does not sign messages: services with a shared secret refuse its calls. Thread-safe.
 */
public final class DynamicClient implements AutoCloseable {
  /** The built-in method every server answers with its instance id. */
  public static final String PING = "$ping";

  private final String service;
  private final RawCalls calls;
  private final @Nullable RedisRpc ownedRoot;

  private DynamicClient(String service, RawCalls calls, @Nullable RedisRpc ownedRoot) {
    this.service = service;
    this.calls = calls;
    this.ownedRoot = ownedRoot;
  }

  /**
   * A client of {@code service} at the Redis at {@code dsn}, subscribed to its reply channel.
   *
   * @throws NotConnectedException when Redis cannot be reached
   * @throws IllegalArgumentException when {@code dsn} is not a Redis URI or {@code service} not a
   *     service name
   */
  public static DynamicClient connect(String dsn, String service) {
    Objects.requireNonNull(dsn, "dsn == null");
    RpcRegistry.check(service);
    RawCalls[] calls = new RawCalls[1];
    RedisRpc root = RedisRpc.privateRoot(dsn, r -> calls[0] = RawCalls.connect(r.link(), service));
    return new DynamicClient(service, calls[0], root);
  }

  /**
   * A client of {@code service} through {@code redis}, subscribed to its reply channel.
   *
   * @throws NotConnectedException when Redis cannot be reached
   * @throws IllegalArgumentException when {@code service} is not a service name
   */
  public static DynamicClient connect(RedisRpc redis, String service) {
    Objects.requireNonNull(redis, "redis == null");
    RpcRegistry.check(service);
    return new DynamicClient(service, RawCalls.connect(redis.link(), service), null);
  }

  /** The service called. */
  public String service() {
    return service;
  }

  /**
   * Calls {@code method} with {@code argumentsJson}, a JSON array with one element per parameter,
   * waiting up to {@code timeout}; returns the result as compact JSON ({@code null} for void).
   *
   * @throws IllegalArgumentException when {@code argumentsJson} is not a JSON array
   * @throws RemoteException when the server answered with an error (its code and message)
   * @throws DeadlineExceededException when no reply came in time
   * @throws NotConnectedException when no server of the service is live, or Redis failed
   */
  public String call(String method, String argumentsJson, Duration timeout) {
    Objects.requireNonNull(method, "method == null");
    Objects.requireNonNull(argumentsJson, "argumentsJson == null");
    Objects.requireNonNull(timeout, "timeout == null");
    return calls.callJson(method, argumentsJson, timeout);
  }

  /**
   * Asks every live instance at once to answer, and waits until {@code expected} of them did or
   * {@code wait} passed. Returns the round trip to each instance that answered, by instance id, in
   * the order they answered.
   */
  public Map<String, Duration> pingInstances(int expected, Duration wait) {
    Map<String, Duration> out = new LinkedHashMap<>();
    calls
        .pingInstances(expected, wait)
        .forEach((id, nanos) -> out.put(id, Duration.ofNanos(nanos)));
    return out;
  }

  /** Fails calls still waiting and leaves the reply channel (closing the connections it owns). */
  @Override
  public void close() {
    calls.close();
    if (ownedRoot != null) {
      ownedRoot.close();
    }
  }
}
