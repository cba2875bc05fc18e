package io.redisrpc;

import io.redisrpc.internal.IdempotencyKeys;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Options of calls, as gRPC's {@code CallOptions}: deadline, headers, codec and idempotency key.
 * Immutable; the {@code with} methods return copies. Bind them to a proxy with {@link
 * RpcClient#withOptions}:
 *
 * <pre>{@code
 * Dropbox dropbox = client.withOptions(
 *     CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(2)).withIdempotencyKey("upload-42"))
 *     .proxy();
 * }</pre>
 */
public final class CallOptions {
  /** No options: each call has its endpoint's timeout (else the client's) and no headers. */
  public static final CallOptions DEFAULT =
      new CallOptions(null, null, Metadata.empty(), null, null);

  private final @Nullable Deadline deadline;
  private final @Nullable Duration timeout;
  private final Metadata headers;
  private final @Nullable Codec codec;
  private final @Nullable String idempotencyKey;

  private CallOptions(
      @Nullable Deadline deadline,
      @Nullable Duration timeout,
      Metadata headers,
      @Nullable Codec codec,
      @Nullable String idempotencyKey) {
    this.deadline = deadline;
    this.timeout = timeout;
    this.headers = headers;
    this.codec = codec;
    this.idempotencyKey = idempotencyKey;
  }

  /**
   * A copy whose calls end by {@code deadline}, whenever they start, instead of after their
   * endpoint's or the client's timeout; for several calls that must finish together.
   */
  public CallOptions withDeadline(Deadline deadline) {
    Objects.requireNonNull(deadline, "deadline == null");
    return new CallOptions(deadline, timeout, headers, codec, idempotencyKey);
  }

  /**
   * A copy whose calls each wait at most {@code timeout} from their start, instead of their
   * endpoint's or the client's timeout. With a {@linkplain #withDeadline deadline} too, the earlier
   * of the two applies.
   */
  public CallOptions withTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout == null");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    return new CallOptions(deadline, timeout, headers, codec, idempotencyKey);
  }

  /** A copy whose calls carry header {@code key} = {@code value}, replacing an earlier value. */
  public CallOptions withHeader(String key, String value) {
    return new CallOptions(deadline, timeout, headers.with(key, value), codec, idempotencyKey);
  }

  /** A copy whose calls carry {@code headers} too, which win over these on equal keys. */
  public CallOptions withHeaders(Metadata headers) {
    Objects.requireNonNull(headers, "headers == null");
    return new CallOptions(deadline, timeout, this.headers.merge(headers), codec, idempotencyKey);
  }

  /**
   * A copy whose calls are sent in the client's codec named as {@code codec} (the built-in JSON and
   * MessagePack, or one given to the client's builder), whichever codec their endpoint would use. A
   * call of an endpoint whose types that codec does not encode fails with {@link
   * StatusCode#INVALID_ARGUMENT}.
   */
  public CallOptions withCodec(Codec codec) {
    Objects.requireNonNull(codec, "codec == null");
    return new CallOptions(deadline, timeout, headers, codec, idempotencyKey);
  }

  /**
   * A copy whose calls carry {@code key}: for its window (an hour by default) the servers of the
   * service run an endpoint once per key, and answer later calls of it with the same key with the
   * first call's result or error, without running the handler again; a call that comes while the
   * first still runs gets {@link StatusCode#ABORTED}. For retrying a call that may have run ({@link
   * DeadlineExceededException}, {@link StatusCode#UNAVAILABLE} from the server) without running it
   * twice. The servers must speak protocol 4; older ones refuse such calls with {@link
   * StatusCode#FAILED_PRECONDITION}.
   *
   * @throws IllegalArgumentException when {@code key} is empty, longer than 200 characters, or has
   *     control characters
   */
  public CallOptions withIdempotencyKey(String key) {
    return new CallOptions(deadline, timeout, headers, codec, IdempotencyKeys.check(key));
  }

  /** The deadline of the calls, if set. */
  public Optional<Deadline> deadline() {
    return Optional.ofNullable(deadline);
  }

  /** The timeout of each call, if set. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** The headers the calls carry. */
  public Metadata headers() {
    return headers;
  }

  /** The codec the calls are sent in, if set. */
  public Optional<Codec> codec() {
    return Optional.ofNullable(codec);
  }

  /** The idempotency key of the calls, if set. */
  public Optional<String> idempotencyKey() {
    return Optional.ofNullable(idempotencyKey);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CallOptions)) {
      return false;
    }
    CallOptions other = (CallOptions) o;
    return Objects.equals(deadline, other.deadline)
        && Objects.equals(timeout, other.timeout)
        && headers.equals(other.headers)
        && Objects.equals(codec, other.codec)
        && Objects.equals(idempotencyKey, other.idempotencyKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(deadline, timeout, headers, codec, idempotencyKey);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("CallOptions[");
    String sep = "";
    if (deadline != null) {
      b.append("deadline=").append(deadline);
      sep = ", ";
    }
    if (timeout != null) {
      b.append(sep).append("timeout=").append(timeout);
      sep = ", ";
    }
    if (!headers.isEmpty()) {
      b.append(sep).append("headers=").append(headers.asMap());
      sep = ", ";
    }
    if (codec != null) {
      b.append(sep).append("codec=").append(codec.name());
      sep = ", ";
    }
    if (idempotencyKey != null) {
      b.append(sep).append("idempotencyKey=").append(idempotencyKey);
    }
    return b.append(']').toString();
  }
}
