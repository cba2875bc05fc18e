package io.redisrpc.internal.proxy;

import io.redisrpc.CallAdapter;
import io.redisrpc.internal.adapter.StreamAdapter;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint of a service interface, parsed once when a client or server is created so that calls
 * need no reflection.
 */
public final class MethodModel {
  private final Method method;
  private final String name;
  private final String qualifiedName;
  private final List<Type> parameterTypes;
  private final List<String> parameterNames;
  private final CallAdapter<?> adapter;
  private final Type resultType;
  private final boolean voidResult;
  private final boolean idempotent;
  private final boolean oneWay;
  private final @Nullable Duration timeout;
  private final List<Class<?>> declaredExceptions;

  MethodModel(
      Method method,
      String name,
      String qualifiedName,
      List<Type> parameterTypes,
      List<String> parameterNames,
      CallAdapter<?> adapter,
      boolean idempotent,
      boolean oneWay,
      @Nullable Duration timeout,
      List<Class<?>> declaredExceptions) {
    this.method = method;
    this.name = name;
    this.qualifiedName = qualifiedName;
    this.parameterTypes = parameterTypes;
    this.parameterNames = parameterNames;
    this.adapter = adapter;
    this.resultType = adapter.resultType();
    this.voidResult = resultType == Void.class;
    this.idempotent = idempotent;
    this.oneWay = oneWay;
    this.timeout = timeout;
    this.declaredExceptions = declaredExceptions;
  }

  /** The Java method. */
  public Method method() {
    return method;
  }

  /** The endpoint's name on the wire. */
  public String name() {
    return name;
  }

  /** {@code Service.name}, for messages. */
  public String qualifiedName() {
    return qualifiedName;
  }

  /** The generic types of the parameters, resolved by each codec's own type factory. */
  public List<Type> parameterTypes() {
    return parameterTypes;
  }

  /** The parameter names (from {@code -parameters}, else {@code arg0...}). */
  public List<String> parameterNames() {
    return parameterNames;
  }

  /** How the result is returned: chosen once, when the client or server was built. */
  public CallAdapter<?> adapter() {
    return adapter;
  }

  /**
   * Whether the endpoint answers with a stream of items ({@link StreamAdapter}); its {@link
   * #resultType()} is then the items' type.
   */
  public boolean streaming() {
    return adapter instanceof StreamAdapter;
  }

  /** Whether the handler blocks until its result ({@link CallAdapter#blocking()}). */
  public boolean blocking() {
    return adapter.blocking();
  }

  /** The type of the result value, unwrapped from any future; {@code Void} for no result. */
  public Type resultType() {
    return resultType;
  }

  /** Whether the endpoint has no result value. */
  public boolean voidResult() {
    return voidResult;
  }

  /** Whether the endpoint is at-least-once. */
  public boolean idempotent() {
    return idempotent;
  }

  /** Whether callers wait only until the call is enqueued ({@link io.redisrpc.Endpoint#oneWay}). */
  public boolean oneWay() {
    return oneWay;
  }

  /** The endpoint's own timeout, if it sets one. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** The exception types the method declares, in declaration order. */
  public List<Class<?>> declaredExceptions() {
    return declaredExceptions;
  }

  @Override
  public String toString() {
    return qualifiedName;
  }
}
