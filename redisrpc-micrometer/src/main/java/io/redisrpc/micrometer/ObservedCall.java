package io.redisrpc.micrometer;

import io.micrometer.observation.Observation;
import io.redisrpc.StatusCode;
import io.redisrpc.internal.dispatch.Errors;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** Runs a call inside its started observation, and stops the observation with its outcome. */
final class ObservedCall {
  private ObservedCall() {}

  /**
   * Proceeds with the call while {@code observation} is in scope on this thread; records the
   * outcome through {@code complete} (the failure's status, by {@code statusOf}, or null) and stops
   * the observation when the call's stage completes. Returns that stage itself, not a dependent
   * one: cancelling it must still cancel the call.
   */
  @SuppressWarnings("try") // the scope is only opened and closed
  static CompletionStage<@Nullable Object> proceed(
      Observation observation,
      Supplier<CompletionStage<@Nullable Object>> proceed,
      Function<Throwable, StatusCode> statusOf,
      Consumer<@Nullable StatusCode> complete) {
    CompletionStage<@Nullable Object> stage;
    try (Observation.Scope ignored = observation.openScope()) {
      stage = proceed.get();
    } catch (RuntimeException | Error e) {
      complete.accept(statusOf.apply(e));
      observation.error(e).stop();
      throw e;
    }
    stage.whenComplete(
        (value, error) -> {
          if (error != null) {
            complete.accept(statusOf.apply(error));
            observation.error(Errors.unwrap(error));
          } else {
            complete.accept(null);
          }
          observation.stop();
        });
    return stage;
  }
}
