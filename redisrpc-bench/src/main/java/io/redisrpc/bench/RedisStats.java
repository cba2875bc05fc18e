package io.redisrpc.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads Redis' own counters around a measurement: commands run (INFO commandstats, which counts the
 * commands a Lua script calls too) and the CPU time of the redis-server process (INFO cpu). On a
 * Redis Cluster, of each primary, with one connection to each.
 */
final class RedisStats implements AutoCloseable {
  private final RedisClient client;
  private final List<String> nodes = new ArrayList<>();
  private final List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();

  RedisStats(RedisDeployment redis) {
    this.client = RedisClient.create();
    try {
      if (redis.isCluster()) {
        for (RedisDeployment.Primary p : redis.primaries()) {
          nodes.add(p.address());
          connections.add(client.connect(p.uri()));
        }
      } else {
        RedisURI uri = redis.single();
        nodes.add(uri.getHost() + ":" + uri.getPort());
        connections.add(client.connect(uri));
      }
    } catch (RuntimeException e) {
      client.shutdown();
      throw e;
    }
  }

  /** The counters of one node. */
  record NodeSnapshot(Map<String, Long> calls, double cpuSeconds) {
    /** Commands run since {@code before}, by command name, without the counters' own reads. */
    Map<String, Long> since(NodeSnapshot before) {
      Map<String, Long> out = new TreeMap<>();
      for (Map.Entry<String, Long> e : calls.entrySet()) {
        long delta = e.getValue() - before.calls.getOrDefault(e.getKey(), 0L);
        if (delta > 0) {
          out.put(e.getKey(), delta);
        }
      }
      out.remove("info");
      return out;
    }
  }

  /** A snapshot of the counters of every node, in the order of {@link #nodes()}. */
  record Snapshot(List<NodeSnapshot> nodes) {
    /** The CPU time of every node together. */
    double cpuSeconds() {
      return nodes.stream().mapToDouble(NodeSnapshot::cpuSeconds).sum();
    }

    /** Commands per call between {@code before} and this, by command name, for {@code n} calls. */
    Map<String, Double> commandsPerCall(Snapshot before, double n) {
      Map<String, Double> out = new TreeMap<>();
      if (n <= 0) {
        return out;
      }
      for (int i = 0; i < nodes.size(); i++) {
        nodes.get(i).since(before.nodes.get(i)).forEach((k, v) -> out.merge(k, v / n, Double::sum));
      }
      return out;
    }

    /** Commands between {@code before} and this on node {@code i}. */
    long commands(Snapshot before, int i) {
      return nodes.get(i).since(before.nodes.get(i)).values().stream().mapToLong(l -> l).sum();
    }

    /** CPU seconds between {@code before} and this on node {@code i}. */
    double cpuSeconds(Snapshot before, int i) {
      return nodes.get(i).cpuSeconds() - before.nodes.get(i).cpuSeconds();
    }
  }

  /** The nodes measured, as {@code host:port}: the one node, or each primary of a cluster. */
  List<String> nodes() {
    return List.copyOf(nodes);
  }

  /** The server's version (of the first node). */
  String version() {
    return field(connections.get(0).sync().info("server"), "redis_version");
  }

  Snapshot snapshot() {
    List<NodeSnapshot> out = new ArrayList<>();
    for (StatefulRedisConnection<String, String> c : connections) {
      out.add(snapshot(c));
    }
    return new Snapshot(out);
  }

  private static NodeSnapshot snapshot(StatefulRedisConnection<String, String> connection) {
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
    return new NodeSnapshot(calls, seconds);
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
    client.shutdown();
  }
}
