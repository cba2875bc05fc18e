package io.redisrpc;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The call a server is handling on this thread: its deadline and headers. Calls made by a client
 * while a handler runs inherit the remaining deadline, so a chain of services gives up together.
 *
 * <p>For asynchronous handlers the context is only current while the handler method itself runs,
 * not in the stages it chains later.
 */
public final class CallContext {
  private static final CallContext ROOT = new CallContext(null);
  private static final ThreadLocal<CallContext> CURRENT = ThreadLocal.withInitial(() -> ROOT);

  private final @Nullable RpcCall call;

  private CallContext(@Nullable RpcCall call) {
    this.call = call;
  }

  /** The context of the call this thread is handling, or an empty one outside a handler. */
  public static CallContext current() {
    return CURRENT.get();
  }

  /** The call being handled, if any. */
  public Optional<RpcCall> call() {
    return Optional.ofNullable(call);
  }

  /** The deadline of the call being handled, if any. */
  public Optional<Deadline> deadline() {
    return call == null ? Optional.empty() : Optional.of(call.deadline());
  }

  /** The headers of the call being handled, empty outside a handler. */
  public Metadata headers() {
    return call == null ? Metadata.empty() : call.headers();
  }

  /**
   * Makes {@code call} current on this thread until the returned scope is closed. Used by the
   * server around each handler; tests may use it to simulate a handler.
   */
  public static Scope attach(RpcCall call) {
    CallContext previous = CURRENT.get();
    CURRENT.set(new CallContext(java.util.Objects.requireNonNull(call, "call == null")));
    return () -> CURRENT.set(previous);
  }

  /** Restores the previous context when closed. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
