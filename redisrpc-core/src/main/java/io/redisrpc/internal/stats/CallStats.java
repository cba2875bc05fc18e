package io.redisrpc.internal.stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Counts the calls of one server instance per endpoint: answered calls, failures by status code,
 * calls in flight, latency from the start of handling to the encoded reply, and the last failure.
 * Only the service's own endpoints are counted, so requests naming arbitrary methods cannot grow
 * it. Thread-safe.
 */
public final class CallStats {
  /** Messages of last errors are cut to this many characters. */
  static final int MAX_MESSAGE = 500;

  private final Map<String, Recorder> endpoints;
  private final ConcurrentHashMap<String, Started> running = new ConcurrentHashMap<>();

  /** Statistics of the endpoints {@code names}, in that order. */
  public CallStats(Iterable<String> names) {
    Map<String, Recorder> byName = new LinkedHashMap<>();
    for (String name : names) {
      byName.put(name, new Recorder(name));
    }
    this.endpoints = Collections.unmodifiableMap(byName);
  }

  /** Request {@code entryId} for {@code method} starts being handled now. */
  public void started(String entryId, String method) {
    Recorder recorder = endpoints.get(method);
    if (recorder == null) {
      return;
    }
    recorder.inFlight.incrementAndGet();
    Started previous = running.put(entryId, new Started(recorder, System.nanoTime()));
    if (previous != null) {
      previous.recorder.inFlight.decrementAndGet();
    }
  }

  /**
   * Request {@code entryId} was answered: successfully when {@code errorCode} is null, else with
   * that status code and message. Requests not {@link #started} are ignored.
   */
  public void finished(String entryId, @Nullable String errorCode, @Nullable String errorMessage) {
    Started started = running.remove(entryId);
    if (started == null) {
      return;
    }
    started.recorder.finish(System.nanoTime() - started.nanos, errorCode, errorMessage);
  }

  /** The statistics of every endpoint now, in the order given at creation. */
  public List<EndpointSnapshot> snapshot() {
    List<EndpointSnapshot> out = new ArrayList<>(endpoints.size());
    for (Recorder recorder : endpoints.values()) {
      out.add(recorder.snapshot());
    }
    return out;
  }

  private record Started(Recorder recorder, long nanos) {}

  private record LastError(String code, String message, long atMillis) {}

  private static final class Recorder {
    final String name;
    final LongAdder calls = new LongAdder();
    final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final LatencyHistogram latency = new LatencyHistogram();
    volatile @Nullable LastError lastError;

    Recorder(String name) {
      this.name = name;
    }

    void finish(long nanos, @Nullable String code, @Nullable String message) {
      latency.record(nanos);
      calls.increment();
      inFlight.decrementAndGet();
      if (code != null) {
        errors.computeIfAbsent(code, c -> new LongAdder()).increment();
        String text = message == null ? "" : message;
        if (text.length() > MAX_MESSAGE) {
          text = text.substring(0, MAX_MESSAGE - 3) + "...";
        }
        lastError = new LastError(code, text, System.currentTimeMillis());
      }
    }

    EndpointSnapshot snapshot() {
      Map<String, Long> byCode = new TreeMap<>();
      errors.forEach((code, count) -> byCode.put(code, count.sum()));
      LastError last = lastError;
      return new EndpointSnapshot(
          name,
          calls.sum(),
          Collections.unmodifiableMap(byCode),
          Math.max(0, inFlight.get()),
          latency.snapshot(),
          last == null ? null : last.code(),
          last == null ? null : last.message(),
          last == null ? 0 : last.atMillis());
    }
  }
}
