package io.redisrpc.internal.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests a server instance took and has not finished, by handle ({@link EntryHandle}): each
 * is taken once, and the instance knows when none is left.
 */
final class HeldRequests {
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();

  /** Records {@code handle}; false when it is held already. */
  boolean take(String handle) {
    return held.add(handle);
  }

  /** Forgets {@code handle}; false when it was not held. */
  boolean release(String handle) {
    return held.remove(handle);
  }

  int size() {
    return held.size();
  }

  /** The entry ids held in each of {@code partitions} partitions. */
  List<List<String>> byPartition(int partitions) {
    List<List<String>> out = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      out.add(new ArrayList<>());
    }
    for (String handle : held) {
      out.get(EntryHandle.partition(handle)).add(EntryHandle.entryId(handle));
    }
    return out;
  }

  /** Completes {@link #drained()} if nothing is held; call once no more is taken. */
  void completeIfEmpty() {
    if (held.isEmpty()) {
      drained.complete(null);
    }
  }

  /** Completes once nothing is held, after {@link #completeIfEmpty()} was called. */
  CompletableFuture<Void> drained() {
    return drained;
  }
}
