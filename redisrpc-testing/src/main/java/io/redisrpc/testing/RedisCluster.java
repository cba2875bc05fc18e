package io.redisrpc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A real Redis Cluster for tests: {@code primaries} {@code redis-server} processes in cluster mode
 * on free ports of {@code 127.0.0.1}, each with {@code replicasPerPrimary} replicas, the 16384
 * slots split evenly among the primaries with {@code CLUSTER ADDSLOTSRANGE}, joined with {@code
 * CLUSTER MEET}. Nothing is persisted; every process is stopped by {@link #close()} (or by the
 * JVM's exit).
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.start(3, 1)) {
 *   connectTo(cluster.uri()); // redis-cluster://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3
 * }
 * }</pre>
 *
 * <p>Besides the cluster itself it offers what topology tests need: the node owning a slot, a live
 * migration of a slot to another primary ({@link #migrate}), and the failover that follows the
 * death of a primary ({@link #killPrimaryOwning}). Instances are thread-safe.
 */
public final class RedisCluster implements AutoCloseable {
  /** The number of hash slots of a Redis Cluster. */
  public static final int SLOTS = 16384;

  private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);
  private static final String NODE_TIMEOUT_MILLIS = "1000";

  private final List<Node> nodes;
  private boolean closed;

  /** A process of the cluster and its node id. */
  private static final class Node {
    final RedisProcess process;
    final String id;
    volatile boolean primary;

    Node(RedisProcess process, String id, boolean primary) {
      this.process = process;
      this.id = id;
      this.primary = primary;
    }
  }

  private RedisCluster(List<Node> nodes) {
    this.nodes = nodes;
  }

  /**
   * Starts a cluster of {@code primaries} primaries (at least 1) with {@code replicasPerPrimary}
   * replicas each, and returns once every slot is served and every replica is in sync.
   *
   * @throws IllegalStateException if the cluster does not form within 30 s
   */
  public static RedisCluster start(int primaries, int replicasPerPrimary) {
    if (primaries < 1) {
      throw new IllegalArgumentException("primaries must be at least 1: " + primaries);
    }
    if (replicasPerPrimary < 0) {
      throw new IllegalArgumentException(
          "replicasPerPrimary must not be negative: " + replicasPerPrimary);
    }
    List<Node> nodes = new ArrayList<>();
    boolean formed = false;
    try {
      int total = primaries * (1 + replicasPerPrimary);
      for (int i = 0; i < total; i++) {
        RedisProcess process =
            RedisProcess.start(
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                "nodes.conf",
                "--cluster-node-timeout",
                NODE_TIMEOUT_MILLIS,
                "--cluster-require-full-coverage",
                "no");
        nodes.add(new Node(process, command(process, "CLUSTER", "MYID"), i < primaries));
      }
      int perPrimary = SLOTS / primaries;
      for (int i = 0; i < primaries; i++) {
        int first = i * perPrimary;
        int last = i == primaries - 1 ? SLOTS - 1 : first + perPrimary - 1;
        expectOk(
            nodes.get(i).process,
            "CLUSTER",
            "ADDSLOTSRANGE",
            Integer.toString(first),
            Integer.toString(last));
      }
      Node first = nodes.get(0);
      for (Node node : nodes.subList(1, nodes.size())) {
        expectOk(
            node.process,
            "CLUSTER",
            "MEET",
            first.process.host(),
            Integer.toString(first.process.port()));
      }
      RedisCluster cluster = new RedisCluster(nodes);
      cluster.await("every node to know every other", cluster::allNodesKnown);
      for (int r = primaries; r < nodes.size(); r++) {
        Node primary = nodes.get((r - primaries) % primaries);
        Node replica = nodes.get(r);
        // A replica can only follow a primary it already knows as one.
        cluster.await(
            "replica " + replica.process.port() + " to see its primary",
            () -> knowsAsPrimary(replica, primary));
        expectOk(replica.process, "CLUSTER", "REPLICATE", primary.id);
      }
      cluster.await("every slot to be served and every replica in sync", cluster::isStable);
      formed = true;
      return cluster;
    } finally {
      if (!formed) {
        nodes.forEach(n -> n.process.close());
      }
    }
  }

  /**
   * {@code redis-cluster://127.0.0.1:p1,127.0.0.1:p2,...}: the primaries' addresses, as seed nodes.
   */
  public String uri() {
    StringJoiner seeds = new StringJoiner(",", "redis-cluster://", "");
    for (RedisProcess primary : primaries()) {
      seeds.add(primary.host() + ":" + primary.port());
    }
    return seeds.toString();
  }

  /** Every process of the cluster, primaries first as started. */
  public List<RedisProcess> nodes() {
    List<RedisProcess> all = new ArrayList<>();
    nodes.forEach(n -> all.add(n.process));
    return Collections.unmodifiableList(all);
  }

  /** The processes that are primaries now, whether started as one or promoted since. */
  public List<RedisProcess> primaries() {
    List<RedisProcess> primaries = new ArrayList<>();
    for (Node node : nodes) {
      if (node.process.isRunning() && isPrimary(node)) {
        primaries.add(node.process);
      }
    }
    return Collections.unmodifiableList(primaries);
  }

  /** The hash slot of {@code key}, honouring a {@code {hash tag}} as Redis does. */
  public static int slot(String key) {
    Objects.requireNonNull(key, "key == null");
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    int start = key.indexOf('{');
    if (start >= 0) {
      int end = key.indexOf('}', start + 1);
      if (end > start + 1) {
        bytes = key.substring(start + 1, end).getBytes(StandardCharsets.UTF_8);
      }
    }
    return crc16(bytes) & (SLOTS - 1);
  }

  /** The primary serving {@code slot} now, as the cluster's live nodes see it. */
  public RedisProcess primaryOwning(int slot) {
    return owner(slot).process;
  }

  /**
   * Moves {@code slot} with its keys to {@code target}, a primary of this cluster, the way {@code
   * redis-cli --cluster reshard} does: {@code SETSLOT IMPORTING} on the target, {@code MIGRATING}
   * on the source, {@code MIGRATE} of its keys in batches, then {@code SETSLOT NODE} on every
   * primary. Clients see {@code ASK} redirections during the move and {@code MOVED} after it.
   *
   * @throws IllegalArgumentException when {@code target} is not a primary of this cluster
   */
  public void migrate(int slot, RedisProcess target) {
    Node to = node(target);
    if (!isPrimary(to)) {
      throw new IllegalArgumentException(target + " is not a primary of this cluster");
    }
    Node from = owner(slot);
    if (from == to) {
      return;
    }
    String s = Integer.toString(slot);
    expectOk(to.process, "CLUSTER", "SETSLOT", s, "IMPORTING", from.id);
    expectOk(from.process, "CLUSTER", "SETSLOT", s, "MIGRATING", to.id);
    while (true) {
      Object keys = reply(from.process, "CLUSTER", "GETKEYSINSLOT", s, "100");
      List<?> batch = keys instanceof List ? (List<?>) keys : List.of();
      if (batch.isEmpty()) {
        break;
      }
      List<String> migrate = new ArrayList<>();
      migrate.addAll(
          List.of(
              "MIGRATE",
              to.process.host(),
              Integer.toString(to.process.port()),
              "",
              "0",
              "10000",
              "KEYS"));
      batch.forEach(k -> migrate.add(String.valueOf(k)));
      String result = command(from.process, migrate.toArray(new String[0]));
      if (result == null || (!result.equals("OK") && !result.equals("NOKEY"))) {
        throw new IllegalStateException("MIGRATE of slot " + slot + " failed: " + result);
      }
    }
    for (Node node : nodes) {
      if (node.process.isRunning() && isPrimary(node)) {
        expectOk(node.process, "CLUSTER", "SETSLOT", s, "NODE", to.id);
      }
    }
    await("slot " + slot + " to be served by " + target.port(), () -> owner(slot) == to);
  }

  /**
   * Kills ({@code SIGKILL}) the primary owning {@code slot} and waits until one of its replicas has
   * taken over the slot; returns the promoted replica.
   *
   * @throws IllegalStateException when the primary has no replica, or none takes over in 30 s
   */
  public RedisProcess killPrimaryOwning(int slot) {
    Node dead = owner(slot);
    boolean hasReplica = false;
    for (Node node : nodes) {
      if (node != dead && node.process.isRunning() && replicates(node, dead)) {
        hasReplica = true;
      }
    }
    if (!hasReplica) {
      throw new IllegalStateException("the primary of slot " + slot + " has no replica");
    }
    dead.process.kill();
    await(
        "a replica to take over slot " + slot,
        () -> {
          Node owner = owner(slot);
          return owner != dead && owner.process.isRunning() && isStable();
        });
    return owner(slot).process;
  }

  /** Stops every process of the cluster. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Node node : nodes) {
      node.process.close();
    }
  }

  @Override
  public String toString() {
    return "RedisCluster[" + uri() + ", " + nodes.size() + " nodes]";
  }

  private boolean allNodesKnown() {
    for (Node node : nodes) {
      String known = command(node.process, "CLUSTER", "NODES");
      if (known == null || known.lines().count() != nodes.size()) {
        return false;
      }
    }
    return true;
  }

  /** Every live node says the cluster is ok, and every live replica's link is up. */
  private boolean isStable() {
    for (Node node : nodes) {
      if (!node.process.isRunning()) {
        continue;
      }
      String info = command(node.process, "CLUSTER", "INFO");
      if (info == null || !info.contains("cluster_state:ok")) {
        return false;
      }
      String replication = command(node.process, "INFO", "replication");
      if (replication != null
          && replication.contains("role:slave")
          && !replication.contains("master_link_status:up")) {
        return false;
      }
    }
    return true;
  }

  private static boolean knowsAsPrimary(Node replica, Node primary) {
    String known = command(replica.process, "CLUSTER", "NODES");
    if (known == null) {
      return false;
    }
    return known.lines().anyMatch(l -> l.startsWith(primary.id + " ") && l.contains("master"));
  }

  private boolean isPrimary(Node node) {
    String replication = command(node.process, "INFO", "replication");
    boolean primary = replication != null && replication.contains("role:master");
    node.primary = primary;
    return primary;
  }

  private static boolean replicates(Node replica, Node primary) {
    String known = command(replica.process, "CLUSTER", "NODES");
    return known != null
        && known
            .lines()
            .anyMatch(l -> l.startsWith(replica.id + " ") && l.contains(" " + primary.id + " "));
  }

  private Node owner(int slot) {
    for (Node asked : nodes) {
      if (!asked.process.isRunning()) {
        continue;
      }
      Object shards = reply(asked.process, "CLUSTER", "SLOTS");
      if (!(shards instanceof List)) {
        continue;
      }
      for (Object range : (List<?>) shards) {
        List<?> r = (List<?>) range;
        long first = Long.parseLong(String.valueOf(r.get(0)));
        long last = Long.parseLong(String.valueOf(r.get(1)));
        if (slot >= first && slot <= last) {
          List<?> primary = (List<?>) r.get(2);
          int port = Integer.parseInt(String.valueOf(primary.get(1)));
          for (Node node : nodes) {
            if (node.process.port() == port) {
              return node;
            }
          }
        }
      }
      throw new IllegalStateException("no node serves slot " + slot);
    }
    throw new IllegalStateException("no node of the cluster is running");
  }

  private Node node(RedisProcess process) {
    for (Node node : nodes) {
      if (node.process == process) {
        return node;
      }
    }
    throw new IllegalArgumentException(process + " is not a node of this cluster");
  }

  private void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + FORM_TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "Redis Cluster "
                + uri()
                + ": timed out after "
                + FORM_TIMEOUT
                + " waiting for "
                + what);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
  }

  private static void expectOk(RedisProcess process, String... command) {
    String reply = command(process, command);
    if (!"OK".equals(reply)) {
      throw new IllegalStateException(
          String.join(" ", command) + " on port " + process.port() + " answered " + reply);
    }
  }

  private static @Nullable String command(RedisProcess process, String... command) {
    try {
      return Resp.call(process.port(), command);
    } catch (IOException e) {
      throw new UncheckedIOException(
          String.join(" ", command) + " on port " + process.port() + " failed", e);
    }
  }

  private static @Nullable Object reply(RedisProcess process, String... command) {
    try (Resp resp = Resp.connect(process.port())) {
      return resp.reply(command);
    } catch (IOException e) {
      throw new UncheckedIOException(
          String.join(" ", command) + " on port " + process.port() + " failed", e);
    }
  }

  /** CRC16-CCITT (XMODEM), the hash of Redis Cluster's key slots. */
  private static int crc16(byte[] bytes) {
    int crc = 0;
    for (byte b : bytes) {
      crc ^= (b & 0xff) << 8;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
        crc &= 0xffff;
      }
    }
    return crc;
  }
}
