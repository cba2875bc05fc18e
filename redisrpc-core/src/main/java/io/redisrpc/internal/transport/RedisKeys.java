package io.redisrpc.internal.transport;

/**
 * The Redis names of one service. Each carries the hash tag {@code {service}} so that a service
 * lives in one Redis Cluster slot and its scripts may touch several keys.
 */
public final class RedisKeys {
  /** The consumer group all servers of a service read the request stream through. */
  public static final String GROUP = "servers";

  /**
   * The set of the names of services that have announced themselves: the index across services. It
   * has no hash tag, so in Redis Cluster it lives in its own slot.
   */
  public static final String SERVICES = "rpc:services";

  private final String service;
  private final String requests;
  private final String instances;
  private final String replyPrefix;
  private final String deadLetters;
  private final String cancellations;
  private final String instancePrefix;
  private final String descriptor;
  private final String pings;
  private final String parkedPrefix;
  private final String seenPrefix;

  /** The names of {@code service}. */
  public RedisKeys(String service) {
    this.service = service;
    String base = "rpc:{" + service + "}:";
    this.requests = base + "requests";
    this.instances = base + "instances";
    this.replyPrefix = base + "reply:";
    this.deadLetters = base + "dead";
    this.cancellations = base + "cancel";
    this.instancePrefix = base + "instance:";
    this.descriptor = base + "descriptor";
    this.pings = base + "ping";
    this.parkedPrefix = base + "parked:";
    this.seenPrefix = base + "seen:";
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
