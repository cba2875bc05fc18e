package io.redisrpc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The string headers that travel with a call, for authentication, tracing and the like. Immutable:
 * {@link #with} returns a copy.
 */
public final class Metadata {
  private static final Metadata EMPTY = new Metadata(Map.of());

  private final Map<String, String> entries;

  private Metadata(Map<String, String> entries) {
    this.entries = entries;
  }

  /** Metadata without headers. */
  public static Metadata empty() {
    return EMPTY;
  }

  /** Metadata holding a copy of {@code headers}. */
  public static Metadata of(Map<String, String> headers) {
    Objects.requireNonNull(headers, "headers == null");
    if (headers.isEmpty()) {
      return EMPTY;
    }
    LinkedHashMap<String, String> copy = new LinkedHashMap<>();
    headers.forEach((k, v) -> copy.put(checkKey(k), Objects.requireNonNull(v, "value == null")));
    return new Metadata(Collections.unmodifiableMap(copy));
  }

  private static String checkKey(String key) {
    Objects.requireNonNull(key, "key == null");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("header key is empty");
    }
    return key;
  }

  /** A copy with {@code key} set to {@code value}, replacing any earlier value. */
  public Metadata with(String key, String value) {
    checkKey(key);
    Objects.requireNonNull(value, "value == null");
    LinkedHashMap<String, String> copy = new LinkedHashMap<>(entries);
    copy.put(key, value);
    return new Metadata(Collections.unmodifiableMap(copy));
  }

  /** A copy holding these headers and then {@code other}'s, which win on equal keys. */
  public Metadata merge(Metadata other) {
    Objects.requireNonNull(other, "other == null");
    if (other.entries.isEmpty()) {
      return this;
    }
    if (entries.isEmpty()) {
      return other;
    }
    LinkedHashMap<String, String> copy = new LinkedHashMap<>(entries);
    copy.putAll(other.entries);
    return new Metadata(Collections.unmodifiableMap(copy));
  }

  /** The value of {@code key}, if present. */
  public Optional<String> get(String key) {
    return Optional.ofNullable(entries.get(Objects.requireNonNull(key, "key == null")));
  }

  /** All headers, in insertion order, unmodifiable. */
  public Map<String, String> asMap() {
    return entries;
  }

  /** Whether there are no headers. */
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Metadata && ((Metadata) o).entries.equals(entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return "Metadata" + entries;
  }
}
