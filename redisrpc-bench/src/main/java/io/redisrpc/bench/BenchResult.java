package io.redisrpc.bench;

import java.util.Objects;

/**
 * One system under one workload: the record written to {@code results.json} and {@code
 * results.csv}, with exactly the fields the benchmark issue lists.
 *
 * @param system {@code redisrpc}, {@code redisson}, {@code floor} or {@code nats}
 * @param codec the wire format: {@code json} or {@code msgpack} for redisrpc, the client's codec
 *     for Redisson, {@code raw} for the floor and NATS
 * @param workload {@code default} or {@code idempotent} (at-least-once) endpoints for redisrpc;
 *     {@code default} for the other systems, which have one kind of call
 * @param inFlight calls kept in flight; 1 is the sequential single caller
 * @param payloadBytes the size of the echoed payload
 * @param callsPerS calls completed per second during the measurement
 * @param p50Us median latency in microseconds
 * @param p99Us 99th percentile latency in microseconds
 * @param p999Us 99.9th percentile latency in microseconds
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
    double p999Us) {

  /** Checks the names. */
  public BenchResult {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(workload, "workload");
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

  /** Whether this result was measured under the same load as {@code other}. */
  public boolean sameLoad(BenchResult other) {
    return inFlight == other.inFlight && payloadBytes == other.payloadBytes;
  }
}
