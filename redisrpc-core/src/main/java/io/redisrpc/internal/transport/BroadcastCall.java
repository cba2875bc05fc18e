package io.redisrpc.internal.transport;

import io.netty.util.Timeout;
import io.redisrpc.DeadlineExceededException;
import io.redisrpc.internal.codec.MethodCodec;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One broadcast call waiting for the answers of the instances it reached. Which instances those are
 * is known only once the BROADCAST script answered, and a quick instance may answer before that:
 * such answers wait here until the list comes. The call completes when every listed instance
 * answered, or at its deadline, when the silent ones count as {@code DEADLINE_EXCEEDED}.
 */
public final class BroadcastCall {
  /** One instance's answer: its result, or its error. */
  public record Answer(@Nullable Object result, @Nullable Throwable error) {}

  private final String id;
  private final MethodCodec method;
  private final CompletableFuture<Map<String, Answer>> future = new CompletableFuture<>();
  private final Map<String, Answer> answers = new HashMap<>();
  private @Nullable Set<String> expected;
  private volatile @Nullable Timeout timer;

  BroadcastCall(String id, MethodCodec method) {
    this.id = id;
    this.method = method;
  }

  /** The call id; instance {@code i} answers as {@code id@i}. */
  String id() {
    return id;
  }

  /** How to decode the answers. */
  MethodCodec method() {
    return method;
  }

  /** The answers by instance id, in the order of the ids, complete by the deadline. */
  CompletableFuture<Map<String, Answer>> future() {
    return future;
  }

  void timer(Timeout timer) {
    this.timer = timer;
  }

  /** Instance {@code instance} answered; an instance the call did not reach is ignored. */
  synchronized void answered(String instance, Answer answer) {
    if (expected != null && !expected.contains(instance)) {
      // Joined after the broadcast, or not yet live when it left: not one of the call's.
      return;
    }
    answers.putIfAbsent(instance, answer);
    completeIfAllAnswered();
  }

  /** The BROADCAST script reached {@code instances}, the live ones when it ran. */
  synchronized void reached(List<String> instances) {
    expected = new LinkedHashSet<>(instances);
    answers.keySet().retainAll(expected);
    completeIfAllAnswered();
  }

  /** The deadline passed: instances that did not answer count as {@code DEADLINE_EXCEEDED}. */
  synchronized void expire(String qualifiedName, long timeoutMillis) {
    Set<String> reached = expected;
    if (reached == null) {
      // Still on its way to Redis: nobody knows whom it reached.
      future.completeExceptionally(
          new DeadlineExceededException(
              qualifiedName + " was not broadcast within " + timeoutMillis + " ms"));
      return;
    }
    for (String instance : reached) {
      answers.computeIfAbsent(
          instance,
          i ->
              new Answer(
                  null,
                  new DeadlineExceededException(
                      "Instance "
                          + i
                          + " did not answer the broadcast of "
                          + qualifiedName
                          + " within "
                          + timeoutMillis
                          + " ms")));
    }
    completeIfAllAnswered();
  }

  /** Fails the whole call: it reached no instance, or cannot tell which. */
  void fail(Throwable error) {
    future.completeExceptionally(error);
  }

  private void completeIfAllAnswered() {
    Set<String> reached = expected;
    if (reached == null || answers.size() < reached.size()) {
      return;
    }
    Timeout t = timer;
    if (t != null) {
      t.cancel();
    }
    future.complete(Collections.unmodifiableMap(new TreeMap<>(answers)));
  }
}
