package io.redisrpc.internal.transport;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The Lua scripts of the protocol (docs/PROTOCOL.md quotes each). Each runs atomically on the Redis
 * clock, so liveness and deadlines never depend on the clocks of the machines around it.
 */
final class Scripts {
  /**
   * Appends a request to the stream only if a server instance is alive, in one round trip, with
   * Redis' time as field {@code t}. KEYS: stream, instances. ARGV: codec, payload, approximate
   * stream length cap, signature (empty when messages are not signed). Returns the entry id, or nil
   * when no server is alive.
   */
  static final Script ENQUEUE = Script.load("enqueue");

  /**
   * ENQUEUE for several requests at once: one liveness check, then one entry per request. KEYS:
   * stream, instances. ARGV: approximate stream length cap, then codec, payload and signature
   * (empty when not signed) of each request. Returns an empty list when no server is alive, else
   * one element per request: its entry id, or {@code !} and the error when Redis refused that one.
   */
  static final Script ENQUEUE_BATCH = Script.load("enqueue_batch");

  /**
   * Announces a server instance until now + ttl, drops expired ones, keeps the set until the last
   * instance's expiry, and makes sure the stream and its consumer group exist (they vanish when
   * Redis restarts without persistence). KEYS: instances, stream, and optionally the instance's
   * hash and the service's descriptor. ARGV: instance id, ttl ms, group, descriptor JSON (empty:
   * only extend its expiry), then field/value pairs of the instance's hash. Returns {Redis' time in
   * ms, 0 when the descriptor is missing and should be sent again, else 1}.
   */
  static final Script HEARTBEAT = Script.load("heartbeat");

  /**
   * Publishes a reply; when nobody is subscribed, keeps it in the caller's parked-reply hash until
   * the call's deadline, for the caller to take once it is subscribed again. KEYS: parked hash.
   * ARGV: channel, message, call id, ms to keep it (0: do not keep). Returns 1 delivered, 2 parked,
   * 0 dropped.
   */
  static final Script REPLY = Script.load("reply");

  /**
   * The state of a service's request queue, read on the Redis clock. KEYS: stream. ARGV: group.
   * Returns {Redis' time in ms, entries, waiting, running, age of the oldest waiting entry or -1,
   * age of the oldest running entry or -1}.
   */
  static final Script QUEUE_STATS = Script.load("queue_stats");

  /**
   * Records signed calls as taken, each unless recorded before. KEYS: one seen-call key per call.
   * ARGV: per call, its entry id, ms to keep the record, 1 when the entry was redelivered else 0.
   * Returns per call 1 when it is the first taking (or its own entry again, redelivered), else 0.
   */
  static final Script RECORD_CALLS = Script.load("record_calls");

  /** Acknowledges and deletes finished requests. KEYS: stream. ARGV: group, ids... */
  static final Script ACK_DELETE = Script.load("ack_delete");

  /**
   * Claims requests another consumer took but did not finish within the visibility timeout (its
   * server died), with their delivery counts. KEYS: stream. ARGV: group, consumer, min idle ms,
   * count. Returns a list of {id, deliveries, {field, value, ...}}.
   */
  static final Script RECLAIM = Script.load("reclaim");

  /**
   * Moves a request to the dead-letter stream with the reason, then acknowledges and deletes it.
   * KEYS: stream, dead-letter stream. ARGV: group, id, codec, payload, deliveries, error.
   */
  static final Script DEAD_LETTER = Script.load("dead_letter");

  /**
   * Appends a dead letter's request to the request stream again, through the liveness check, and
   * deletes the dead letter, in one step. KEYS: stream, instances, dead-letter stream. ARGV: the
   * dead letter's entry id, approximate stream length cap. Returns {1, new entry id} replayed, {0}
   * no such dead letter, {-1} no live server (nothing changed), {-2} the dead letter has no codec
   * or payload (nothing changed).
   */
  static final Script REPLAY_DEAD_LETTER = Script.load("replay_dead_letter");

  /**
   * Removes a consumer from the group once it has no pending entry. KEYS: stream. ARGV: group,
   * consumer. Returns 1 removed, 0 entries still pending, -1 no such group.
   */
  static final Script RELEASE_CONSUMER = Script.load("release_consumer");

  /**
   * Removes consumers of instances that are gone: no pending entry, idle longer than ARGV[2] ms,
   * and not live in the instances set. KEYS: stream, instances. ARGV: group, min idle ms. Returns
   * how many were removed.
   */
  static final Script PRUNE_CONSUMERS = Script.load("prune_consumers");

  /**
   * Brings the stream's and the group's last ids back to Redis' clock after an entry with an id far
   * in the future (ARGV[2] ms ahead) was written into the stream. KEYS: stream. ARGV: group,
   * tolerance ms. Returns 0 nothing to do, 1 repaired, -1 entries ahead still wait to be handled.
   */
  static final Script REPAIR_IDS = Script.load("repair_ids");

  /**
   * Publishes a broadcast request to every server instance subscribed to the service's broadcast
   * channel, and reads which instances are live at that moment, in one step. KEYS: the service's
   * instances. ARGV: broadcast channel, message, {@code 1} to publish sharded (in a cluster).
   * Returns the live instance ids; an empty list (nothing published) when none is live.
   */
  static final Script BROADCAST = Script.load("broadcast");

  /** Every script, for the test that checks docs/PROTOCOL.md quotes them. */
  static final List<Script> ALL =
      List.of(
          ENQUEUE,
          ENQUEUE_BATCH,
          HEARTBEAT,
          REPLY,
          RECORD_CALLS,
          QUEUE_STATS,
          ACK_DELETE,
          RECLAIM,
          DEAD_LETTER,
          REPLAY_DEAD_LETTER,
          RELEASE_CONSUMER,
          PRUNE_CONSUMERS,
          REPAIR_IDS,
          BROADCAST);

  private Scripts() {}

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
