package io.redisrpc.internal.transport;

import io.lettuce.core.cluster.SlotHash;
import java.util.ArrayList;
import java.util.List;

/**
 * The Redis names of one service, or of one partition of a partitioned service. Each carries a hash
 * tag so that what one script touches lives in one Redis Cluster slot: {@code {service}} for a
 * service of one partition, and for partition p of a service of N > 1 partitions the tag {@code
 * {service#p.k}}, k the smallest number that puts the tag's slot in the p-th N-th of the slot space
 * (docs/PROTOCOL.md, partitions). A partition has its own request stream, instances, dead letters,
 * reply channels and parked replies; the cancel and ping channels, the descriptor and the
 * instances' hashes are the service's, under {@code {service}}.
 */
public final class RedisKeys {
  /** The consumer group all servers of a service read the request stream through. */
  public static final String GROUP = "servers";

  /**
   * The set of the names of services that have announced themselves: the index across services. It
   * has no hash tag, so in Redis Cluster it lives in its own slot.
   */
  public static final String SERVICES = "rpc:services";

  private static final int SLOTS = SlotHash.SLOT_COUNT;

  /** The most partitions a service may have. */
  public static final int MAX_PARTITIONS = 256;

  private final String service;
  private final int partition;
  private final String requests;
  private final String instances;
  private final String replyPrefix;
  private final String deadLetters;
  private final String cancellations;
  private final String instancePrefix;
  private final String descriptor;
  private final String pings;
  private final String broadcasts;
  private final String serviceInstances;
  private final String parkedPrefix;
  private final String seenPrefix;
  private final String idempotencyPrefix;

  /** The names of {@code service}, of one partition. */
  public RedisKeys(String service) {
    this(service, 0, service);
  }

  private RedisKeys(String service, int partition, String tag) {
    this.service = service;
    this.partition = partition;
    String base = "rpc:{" + service + "}:";
    String own = "rpc:{" + tag + "}:";
    this.requests = own + "requests";
    this.instances = own + "instances";
    this.replyPrefix = own + "reply:";
    this.deadLetters = own + "dead";
    this.parkedPrefix = own + "parked:";
    this.seenPrefix = own + "seen:";
    this.cancellations = base + "cancel";
    this.instancePrefix = base + "instance:";
    this.descriptor = base + "descriptor";
    this.pings = base + "ping";
    this.broadcasts = base + "broadcast";
    this.serviceInstances = base + "instances";
    this.idempotencyPrefix = base + "idem:";
  }

  /**
   * The names of the {@code count} partitions of {@code service}: the service's own names when
   * {@code count} is 1.
   */
  public static List<RedisKeys> partitions(String service, int count) {
    if (count < 1 || count > MAX_PARTITIONS) {
      throw new IllegalArgumentException(
          "partitions must be between 1 and " + MAX_PARTITIONS + ": " + count);
    }
    if (count == 1) {
      return List.of(new RedisKeys(service));
    }
    List<RedisKeys> out = new ArrayList<>(count);
    for (int p = 0; p < count; p++) {
      out.add(new RedisKeys(service, p, partitionTag(service, p, count)));
    }
    return List.copyOf(out);
  }

  /**
   * The hash tag of partition {@code p} of {@code count}: {@code service#p.k} with the smallest k
   * whose slot lies in [p * 16384 / count, (p + 1) * 16384 / count). A cluster whose primaries own
   * equal ranges of slots, as {@code redis-cli --cluster create} makes them, then holds one
   * partition on each primary when there are as many partitions as primaries.
   */
  static String partitionTag(String service, int p, int count) {
    int from = p * SLOTS / count;
    int to = (p + 1) * SLOTS / count;
    for (int k = 0; ; k++) {
      String tag = service + "#" + p + "." + k;
      int slot = SlotHash.getSlot(tag);
      if (slot >= from && slot < to) {
        return tag;
      }
    }
  }

  /** Which partition these names belong to, from 0. */
  public int partition() {
    return partition;
  }

  /**
   * The channel on which clients announce cancelled calls as {@code "<reply_to> <id>"}; every
   * server of the service listens.
   */
  public String cancellations() {
    return cancellations;
  }

  /** The hash describing live server instance {@code instanceId}, refreshed by its heartbeat. */
  public String instanceInfo(String instanceId) {
    return instancePrefix + instanceId;
  }

  /**
   * The string recording the call of endpoint {@code method} with idempotency key {@code key}: its
   * request while it runs, then its reply; under the service's own hash tag, shared by its
   * partitions.
   */
  public String idempotency(String method, String key) {
    return idempotencyPrefix + method + ":" + key;
  }

  /** The string holding the service's descriptor (JSON), published by its servers. */
  public String descriptor() {
    return descriptor;
  }

  /**
   * The channel on which callers ask every live instance to answer at once, as {@code "<reply_to>
   * <id>"}; each answers on that reply channel.
   */
  public String pings() {
    return pings;
  }

  /** The dead-letter stream: requests that failed delivery too often, with the last error. */
  public String deadLetters() {
    return deadLetters;
  }

  /** The service name. */
  public String service() {
    return service;
  }

  /** The request stream. */
  public String requests() {
    return requests;
  }

  /**
   * The channel of broadcast calls ({@code "<codec> <payload>"}), on which every server of the
   * service listens.
   */
  public String broadcasts() {
    return broadcasts;
  }

  /**
   * The sorted set of every live instance of the service, whatever the partition: the partition's
   * own {@link #instances()} for a service of one partition.
   */
  public String serviceInstances() {
    return serviceInstances;
  }

  /** The sorted set of live server instances, scored by when their heartbeat expires. */
  public String instances() {
    return instances;
  }

  /** The reply channel of client instance {@code clientId}. */
  public String replyChannel(String clientId) {
    return replyPrefix + clientId;
  }

  /**
   * The hash of replies to the client on reply channel {@code replyChannel} that were published
   * while nobody was subscribed there, by call id, kept until their calls' deadlines.
   */
  public String parkedReplies(String replyChannel) {
    return parkedPrefix + replyChannel.substring(replyPrefix.length());
  }

  /**
   * The hash of parked replies of the client on {@code replyChannel}, a reply channel of any
   * service or partition ({@code rpc:{tag}:reply:<clientId>}): in the same slot as the channel.
   */
  public static String parkedRepliesOf(String replyChannel) {
    int at = replyChannel.indexOf("}:reply:");
    if (at < 0) {
      throw new IllegalArgumentException("not a reply channel: " + replyChannel);
    }
    return replyChannel.substring(0, at) + "}:parked:" + replyChannel.substring(at + 8);
  }

  /**
   * The key recording that signed call {@code id} of the client on {@code replyChannel} was taken,
   * so that a replay of it is refused (docs/PROTOCOL.md, message authentication).
   */
  public String seenCall(String replyChannel, String id) {
    return seenPrefix + replyChannel.substring(replyPrefix.length()) + " " + id;
  }

  /** Whether {@code channel} is a reply channel of this service (servers publish nowhere else). */
  public boolean isReplyChannel(String channel) {
    return channel.length() > replyPrefix.length() && channel.startsWith(replyPrefix);
  }
}
