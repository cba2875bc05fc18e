package io.redisrpc.bench;

import java.util.List;
import java.util.Objects;

/**
 * One system under one workload in one round: the record written to {@code results.json} and {@code
 * results.csv}, with the fields the benchmark issue lists, then the round and the machine's load,
 * then the CPU other processes took.
 *
 * @param system {@code redisrpc}, {@code redisson}, {@code floor} or {@code nats}
 * @param codec the wire format: {@code json} or {@code msgpack} for redisrpc, the client's codec
 *     for Redisson, {@code raw} for the floor and NATS
 * @param workload {@code default} or {@code idempotent} (at-least-once) endpoints for redisrpc, or
 *     {@code signed}: default endpoints with every message signed under a shared secret; {@code
 *     default} for the other systems, which have one kind of call
 * @param inFlight calls kept in flight; 1 is the sequential single caller
 * @param payloadBytes the size of the echoed payload
 * @param callsPerS calls completed per second during the measurement
 * @param p50Us median latency in microseconds
 * @param p99Us 99th percentile latency in microseconds
 * @param p999Us 99.9th percentile latency in microseconds
 * @param nodes on a Redis Cluster, each primary's share of the workload's Redis commands and Redis
 *     CPU; empty on one node, and for systems that are not Redis
 * @param round the round of {@code --repeat} that measured it, from 1
 * @param loadBefore the 1-minute load average (of {@code /proc/loadavg}) when the cell started, NaN
 *     where unknown
 * @param loadAfter the 1-minute load average when its measurement ended, NaN where unknown
 * @param busy whether the machine was busy: other processes used more than a quarter of the cores
 *     ({@code otherCpu} above {@link Machine#BUSY_OTHER_CPU_SHARE} of them); results written before
 *     {@code otherCpu} was recorded judged by the load average instead (either reading above half
 *     the cores)
 * @param otherCpu the CPU other processes than the bench's (its JVM, redis-server, nats-server)
 *     used during the measurement, in cores on average (0.5: half a core), NaN where unknown
 */
public record BenchResult(
    String system,
    String codec,
    String workload,
    int inFlight,
    int payloadBytes,
    double callsPerS,
    double p50Us,
    double p99Us,
    double p999Us,
    List<NodeShare> nodes,
    int round,
    double loadBefore,
    double loadAfter,
    boolean busy,
    double otherCpu) {

  /**
   * One primary of a Redis Cluster in one workload.
   *
   * @param node the primary, {@code host:port}
   * @param commandsPct its share of the Redis commands the workload ran on the cluster, in %
   * @param redisCpuPct its share of the Redis CPU time the workload took on the cluster, in %
   */
  public record NodeShare(String node, double commandsPct, double redisCpuPct) {
    /** Checks the name. */
    public NodeShare {
      Objects.requireNonNull(node, "node");
    }
  }

  /** Checks the names. */
  public BenchResult {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(workload, "workload");
    nodes = List.copyOf(nodes);
    if (round < 1) {
      throw new IllegalArgumentException("round must be positive: " + round);
    }
  }

  /** A result of the first round, without load or CPU readings. */
  public BenchResult(
      String system,
      String codec,
      String workload,
      int inFlight,
      int payloadBytes,
      double callsPerS,
      double p50Us,
      double p99Us,
      double p999Us,
      List<NodeShare> nodes) {
    this(
        system,
        codec,
        workload,
        inFlight,
        payloadBytes,
        callsPerS,
        p50Us,
        p99Us,
        p999Us,
        nodes,
        1,
        Double.NaN,
        Double.NaN,
        false,
        Double.NaN);
  }

  /** A result without shares by node (one Redis node, or not Redis), of the first round. */
  public BenchResult(
      String system,
      String codec,
      String workload,
      int inFlight,
      int payloadBytes,
      double callsPerS,
      double p50Us,
      double p99Us,
      double p999Us) {
    this(
        system,
        codec,
        workload,
        inFlight,
        payloadBytes,
        callsPerS,
        p50Us,
        p99Us,
        p999Us,
        List.of());
  }

  /** The system variant this result belongs to, e.g. {@code redisrpc msgpack idempotent}. */
  public String variant() {
    return variantOf(system, codec, workload);
  }

  /** The variant name of a system, codec and workload. */
  static String variantOf(String system, String codec, String workload) {
    if (system.equals("redisrpc")) {
      return "redisrpc " + codec + (workload.equals("default") ? "" : " " + workload);
    }
    return system;
  }

  /** This result as measured in {@code round}, with those load and CPU readings. */
  public BenchResult inRound(
      int round, double loadBefore, double loadAfter, boolean busy, double otherCpu) {
    return new BenchResult(
        system,
        codec,
        workload,
        inFlight,
        payloadBytes,
        callsPerS,
        p50Us,
        p99Us,
        p999Us,
        nodes,
        round,
        loadBefore,
        loadAfter,
        busy,
        otherCpu);
  }

  /** Whether this result was measured under the same load as {@code other}. */
  public boolean sameLoad(BenchResult other) {
    return inFlight == other.inFlight && payloadBytes == other.payloadBytes;
  }
}
