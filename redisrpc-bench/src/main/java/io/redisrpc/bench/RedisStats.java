package io.redisrpc.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads Redis' own counters around a measurement: commands run (INFO commandstats, which counts the
 * commands a Lua script calls too) and the CPU time of the redis-server process (INFO cpu).
 */
final class RedisStats implements AutoCloseable {
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  RedisStats(String redisUri) {
    this.client = RedisClient.create(RedisURI.create(redisUri));
    this.connection = client.connect();
  }

  /** A snapshot of the counters. */
  record Snapshot(Map<String, Long> calls, double cpuSeconds) {
    /** Commands per call between {@code before} and this, by command name, for {@code n} calls. */
    Map<String, Double> commandsPerCall(Snapshot before, double n) {
      Map<String, Double> out = new TreeMap<>();
      if (n <= 0) {
        return out;
      }
      for (Map.Entry<String, Long> e : calls.entrySet()) {
        long delta = e.getValue() - before.calls.getOrDefault(e.getKey(), 0L);
        if (delta > 0) {
          out.put(e.getKey(), (double) delta / n);
        }
      }
      // The counters' own reads.
      out.computeIfPresent("info", (k, v) -> null);
      return out;
    }
  }

  /** The server's version. */
  String version() {
    return field(connection.sync().info("server"), "redis_version");
  }

  Snapshot snapshot() {
    Map<String, Long> calls = new HashMap<>();
    String stats = connection.sync().info("commandstats");
    for (String line : stats.split("\r?\n")) {
      // cmdstat_publish:calls=123,usec=456,...
      if (!line.startsWith("cmdstat_")) {
        continue;
      }
      int colon = line.indexOf(':');
      String name = line.substring("cmdstat_".length(), colon);
      for (String part : line.substring(colon + 1).split(",")) {
        if (part.startsWith("calls=")) {
          calls.put(name, Long.parseLong(part.substring("calls=".length())));
        }
      }
    }
    String cpu = connection.sync().info("cpu");
    double seconds = parse(field(cpu, "used_cpu_user")) + parse(field(cpu, "used_cpu_sys"));
    return new Snapshot(calls, seconds);
  }

  private static double parse(String s) {
    try {
      return s == null ? 0 : Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String field(String info, String name) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(name + ":")) {
        return line.substring(name.length() + 1).trim();
      }
    }
    return null;
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
