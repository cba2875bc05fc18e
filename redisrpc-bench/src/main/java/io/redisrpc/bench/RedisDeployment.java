package io.redisrpc.bench;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.redisrpc.internal.connection.RedisTarget;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Redis the bench runs on, from any redisrpc URI: one node ({@code redis://}), the primary of a
 * Sentinel set ({@code redis-sentinel://...#name}) or a Redis Cluster ({@code
 * redis-cluster://host:port[,host:port...]}), whose primaries and slots are read once, at the
 * start.
 */
final class RedisDeployment {
  /** A primary of a cluster: its URI (with the seeds' credentials and TLS) and its slot ranges. */
  record Primary(RedisURI uri, String address, List<int[]> slotRanges) {
    boolean owns(int slot) {
      for (int[] range : slotRanges) {
        if (slot >= range[0] && slot <= range[1]) {
          return true;
        }
      }
      return false;
    }

    /** {@code 0-5460} or {@code 0-10,20-30}. */
    String slots() {
      return slotRanges.stream()
          .map(r -> r[0] == r[1] ? Integer.toString(r[0]) : r[0] + "-" + r[1])
          .collect(Collectors.joining(","));
    }
  }

  private final String uri;
  private final RedisTarget target;
  private final List<Primary> primaries;

  private RedisDeployment(String uri, RedisTarget target, List<Primary> primaries) {
    this.uri = uri;
    this.target = target;
    this.primaries = primaries;
  }

  /**
   * Parses {@code uri} and, for a cluster, reads its primaries from the seeds.
   *
   * @throws IllegalArgumentException when {@code uri} is not a redisrpc URI
   */
  static RedisDeployment of(String uri) {
    RedisTarget target = RedisTarget.parse(uri);
    if (!target.isCluster()) {
      return new RedisDeployment(uri, target, List.of());
    }
    RedisClusterClient client = RedisClusterClient.create(target.uris());
    try {
      Partitions partitions = client.getPartitions();
      List<Primary> primaries = new ArrayList<>();
      for (RedisClusterNode node : partitions) {
        if (!node.is(RedisClusterNode.NodeFlag.UPSTREAM) || node.getSlots().isEmpty()) {
          continue;
        }
        RedisURI announced = node.getUri();
        RedisURI withCredentials =
            RedisURI.builder(target.uris().get(0))
                .withHost(announced.getHost())
                .withPort(announced.getPort())
                .build();
        primaries.add(
            new Primary(
                withCredentials,
                announced.getHost() + ":" + announced.getPort(),
                ranges(node.getSlots())));
      }
      primaries.sort(Comparator.comparingInt(p -> p.slotRanges().get(0)[0]));
      if (primaries.isEmpty()) {
        throw new IllegalStateException("the cluster at " + target.text() + " has no primary");
      }
      return new RedisDeployment(uri, target, List.copyOf(primaries));
    } finally {
      client.shutdown();
    }
  }

  private static List<int[]> ranges(List<Integer> slots) {
    List<Integer> sorted = slots.stream().sorted().toList();
    List<int[]> ranges = new ArrayList<>();
    int start = sorted.get(0);
    int previous = start;
    for (int slot : sorted.subList(1, sorted.size())) {
      if (slot != previous + 1) {
        ranges.add(new int[] {start, previous});
        start = slot;
      }
      previous = slot;
    }
    ranges.add(new int[] {start, previous});
    return ranges;
  }

  /** The URI as given, with its password. */
  String uri() {
    return uri;
  }

  boolean isCluster() {
    return target.isCluster();
  }

  boolean isSentinel() {
    return target.kind() == RedisTarget.Kind.SENTINEL;
  }

  /** The URI for Lettuce's {@code RedisClient} outside a cluster: a node, or Sentinel's primary. */
  RedisURI single() {
    if (isCluster()) {
      throw new IllegalStateException("a cluster has no single node");
    }
    return target.uris().get(0);
  }

  /** The seed nodes of a cluster. */
  List<RedisURI> seeds() {
    return target.uris();
  }

  /** The cluster's primaries, by their first slot; empty outside a cluster. */
  List<Primary> primaries() {
    return primaries;
  }

  /** The primary owning {@code slot}, as read at the start. */
  Primary owner(int slot) {
    for (Primary p : primaries) {
      if (p.owns(slot)) {
        return p;
      }
    }
    throw new IllegalStateException("no primary of " + target.text() + " serves slot " + slot);
  }

  /** The primary owning {@code key}, honouring a hash tag. */
  Primary ownerOf(String key) {
    return owner(SlotHash.getSlot(key));
  }
}
