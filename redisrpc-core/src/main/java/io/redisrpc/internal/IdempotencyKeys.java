package io.redisrpc.internal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** What an idempotency key may be: 1 to 200 characters, none of them a control character. */
public final class IdempotencyKeys {
  private static final int MAX_LENGTH = 200;

  private IdempotencyKeys() {}

  /**
   * {@code key}, if valid.
   *
   * @throws IllegalArgumentException when it is not
   */
  public static String check(String key) {
    Objects.requireNonNull(key, "key == null");
    String why = problem(key);
    if (why != null) {
      throw new IllegalArgumentException(why);
    }
    return key;
  }

  /** What is wrong with {@code key}, or null when it is valid. */
  public static @Nullable String problem(String key) {
    if (key.isEmpty()
        || key.length() > MAX_LENGTH
        || key.chars().anyMatch(Character::isISOControl)) {
      return "Invalid idempotency key '"
          + key
          + "': use 1 to "
          + MAX_LENGTH
          + " characters without control characters";
    }
    return null;
  }
}
