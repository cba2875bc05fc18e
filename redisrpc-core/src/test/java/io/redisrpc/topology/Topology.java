package io.redisrpc.topology;

/** The kinds of Redis a suite extending {@link OnEveryTopology} runs on, each in turn. */
public enum Topology {
  /** One {@code redis-server}, reached by a {@code redis://} URI. */
  NODE,
  /** A Redis Cluster of three primaries without replicas, reached by a {@code redis-cluster://}. */
  CLUSTER
}
