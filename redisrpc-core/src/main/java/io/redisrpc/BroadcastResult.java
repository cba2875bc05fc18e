package io.redisrpc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What each server instance answered to a broadcast call ({@link RpcClient#broadcast}), by instance
 * id: every instance that was live when the call left, and no other. An instance that did not
 * answer by the call's deadline has a {@link DeadlineExceededException}. Immutable.
 *
 * @param <T> the endpoint's result type; {@link Void} for a {@code void} endpoint
 */
public final class BroadcastResult<T> {
  private final Map<String, Outcome<T>> outcomes;

  BroadcastResult(Map<String, Outcome<T>> outcomes) {
    this.outcomes = Collections.unmodifiableMap(new LinkedHashMap<>(outcomes));
  }

  /** Each instance's outcome, by instance id, in the order of the ids. */
  public Map<String, Outcome<T>> outcomes() {
    return outcomes;
  }

  /** The outcome of instance {@code instanceId}, if the call went to it. */
  public Optional<Outcome<T>> outcome(String instanceId) {
    Objects.requireNonNull(instanceId, "instanceId == null");
    return Optional.ofNullable(outcomes.get(instanceId));
  }

  /** Whether every instance answered with a result. */
  public boolean succeeded() {
    return outcomes.values().stream().allMatch(Outcome::succeeded);
  }

  /** The errors of the instances that failed (or did not answer in time), by instance id. */
  public Map<String, Throwable> errors() {
    Map<String, Throwable> errors = new LinkedHashMap<>();
    outcomes.forEach((id, outcome) -> outcome.error().ifPresent(e -> errors.put(id, e)));
    return Collections.unmodifiableMap(errors);
  }

  @Override
  public String toString() {
    return "BroadcastResult" + outcomes;
  }

  /**
   * One instance's answer: a result (empty for {@code void} endpoints and null results) or an
   * error, exactly as a call of the endpoint would have returned or thrown it.
   *
   * @param <T> the endpoint's result type
   */
  public static final class Outcome<T> {
    private final @Nullable T result;
    private final @Nullable Throwable error;

    Outcome(@Nullable T result, @Nullable Throwable error) {
      this.result = result;
      this.error = error;
    }

    /** Whether the instance answered with a result rather than an error. */
    public boolean succeeded() {
      return error == null;
    }

    /** The result; empty when the instance failed, or answered null ({@code void} endpoints). */
    public Optional<T> result() {
      return Optional.ofNullable(result);
    }

    /** The error, when the instance failed or did not answer in time. */
    public Optional<Throwable> error() {
      return Optional.ofNullable(error);
    }

    @Override
    public String toString() {
      return error == null ? "result " + result : "error " + error;
    }
  }
}
