package io.redisrpc.cli;

import java.time.Duration;
import java.util.Locale;

/** How the command line prints durations and ids. */
final class Format {
  private Format() {}

  /** A latency: {@code 0.42 ms}, {@code 12.3 ms}, {@code 1.25 s}. */
  static String latency(Duration d) {
    double ms = d.toNanos() / 1e6;
    if (ms < 10) {
      return String.format(Locale.ROOT, "%.2f ms", ms);
    }
    if (ms < 1000) {
      return String.format(Locale.ROOT, "%.1f ms", ms);
    }
    return String.format(Locale.ROOT, "%.2f s", ms / 1000);
  }

  /** An age or uptime: {@code 850ms}, {@code 12s}, {@code 3m 5s}, {@code 2h 1m}, {@code 3d 4h}. */
  static String age(Duration d) {
    long ms = Math.max(0, d.toMillis());
    if (ms < 1000) {
      return ms + "ms";
    }
    long s = ms / 1000;
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m " + s % 60 + "s";
    }
    if (s < 86400) {
      return s / 3600 + "h " + s % 3600 / 60 + "m";
    }
    return s / 86400 + "d " + s % 86400 / 3600 + "h";
  }

  /** The first 12 characters of an instance id, enough to tell instances apart. */
  static String shortId(String id) {
    return id.length() <= 12 ? id : id.substring(0, 12);
  }

  /** {@code text} cut to {@code max} characters, with {@code ...} when cut. */
  static String cut(String text, int max) {
    String oneLine = text.replace('\n', ' ').replace('\r', ' ');
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 3) + "...";
  }

  /** {@code n} with the singular or plural of {@code noun}. */
  static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
