package io.redisrpc;

import io.redisrpc.internal.IdempotencyKeys;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One call as interceptors see it: which endpoint, with which arguments, headers and deadline.
 * Immutable; the {@code with} methods return copies.
 */
public final class RpcCall {
  private final String service;
  private final String method;
  private final List<@Nullable Object> arguments;
  private final Metadata headers;
  private final Deadline deadline;
  private final @Nullable String idempotencyKey;

  private RpcCall(
      String service,
      String method,
      List<@Nullable Object> arguments,
      Metadata headers,
      Deadline deadline,
      @Nullable String idempotencyKey) {
    this.service = service;
    this.method = method;
    this.arguments = arguments;
    this.headers = headers;
    this.deadline = deadline;
    this.idempotencyKey = idempotencyKey;
  }

  /** A call of {@code service.method} with these arguments, headers and deadline. */
  public static RpcCall create(
      String service,
      String method,
      List<? extends @Nullable Object> arguments,
      Metadata headers,
      Deadline deadline) {
    return new RpcCall(
        Objects.requireNonNull(service, "service == null"),
        Objects.requireNonNull(method, "method == null"),
        copyOf(arguments),
        Objects.requireNonNull(headers, "headers == null"),
        Objects.requireNonNull(deadline, "deadline == null"),
        null);
  }

  private static List<@Nullable Object> copyOf(List<? extends @Nullable Object> arguments) {
    Objects.requireNonNull(arguments, "arguments == null");
    // List.copyOf refuses nulls, and null is a legal argument value.
    return Collections.unmodifiableList(new ArrayList<>(arguments));
  }

  /** The service name. */
  public String service() {
    return service;
  }

  /** The endpoint name as it travels on the wire. */
  public String method() {
    return method;
  }

  /** The arguments in parameter order, unmodifiable; elements may be null. */
  public List<@Nullable Object> arguments() {
    return arguments;
  }

  /** The call's headers. */
  public Metadata headers() {
    return headers;
  }

  /** The time by which the call must complete. */
  public Deadline deadline() {
    return deadline;
  }

  /**
   * The call's idempotency key ({@link CallOptions#withIdempotencyKey}), if it has one: servers run
   * an endpoint once per key within their window.
   */
  public Optional<String> idempotencyKey() {
    return Optional.ofNullable(idempotencyKey);
  }

  /** A copy with {@code headers} instead of these. */
  public RpcCall withHeaders(Metadata headers) {
    return new RpcCall(
        service,
        method,
        arguments,
        Objects.requireNonNull(headers, "headers == null"),
        deadline,
        idempotencyKey);
  }

  /** A copy with header {@code key} set to {@code value}. */
  public RpcCall withHeader(String key, String value) {
    return new RpcCall(
        service, method, arguments, headers.with(key, value), deadline, idempotencyKey);
  }

  /** A copy with {@code arguments} instead of these. */
  public RpcCall withArguments(List<? extends @Nullable Object> arguments) {
    return new RpcCall(service, method, copyOf(arguments), headers, deadline, idempotencyKey);
  }

  /** A copy with {@code deadline} instead of this one. */
  public RpcCall withDeadline(Deadline deadline) {
    return new RpcCall(
        service,
        method,
        arguments,
        headers,
        Objects.requireNonNull(deadline, "deadline == null"),
        idempotencyKey);
  }

  /**
   * A copy with idempotency key {@code key} (null: none), as {@link CallOptions#withIdempotencyKey}
   * checks it.
   */
  public RpcCall withIdempotencyKey(@Nullable String key) {
    return new RpcCall(
        service,
        method,
        arguments,
        headers,
        deadline,
        key == null ? null : IdempotencyKeys.check(key));
  }

  @Override
  public String toString() {
    return "RpcCall["
        + service
        + "."
        + method
        + ", headers="
        + headers.asMap()
        + (idempotencyKey == null ? "" : ", idempotencyKey=" + idempotencyKey)
        + "]";
  }
}
