package io.redisrpc.internal.transport;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.redisrpc.NotConnectedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server end of the native protocol: announces this instance, reads requests from the service's
 * stream through the consumer group, never holding more than its limit, and publishes replies.
 */
public final class ServerTransport implements ServerChannel {
  private static final Logger log = LoggerFactory.getLogger(ServerTransport.class);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
  private static final long BLOCK_MILLIS = 2_000;
  private static final int MAX_BATCH = 256;

  /** Receives each request entry read from the stream. */
  public interface Handler {
    /**
     * Handles one entry, delivered for the {@code deliveries}-th time; must call {@link
     * ServerTransport#finished(String)} exactly once when the call is done.
     */
    void onRequest(
        String entryId,
        byte @Nullable [] codec,
        byte @Nullable [] payload,
        byte @Nullable [] signature,
        long deliveries);

    /** Messages the handler refused. */
    long rejectedMessages();

    /** The caller of call {@code id} with reply address {@code replyTo} gave up on it. */
    void onCancel(String replyTo, String id);
  }

  private final RedisKeys keys;
  private final String instanceId;
  private final int maxInFlight;
  private final Duration heartbeatInterval;
  private final Duration visibilityTimeout;
  private final @Nullable MessageSigner signer;
  private final Handler handler;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final java.util.Set<String> taken = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final AtomicBoolean reading = new AtomicBoolean();
  private final AckBatcher acks = new AckBatcher(this::acknowledgeNow);
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private final ScheduledExecutorService scheduler;

  private @Nullable RedisClient client;
  private @Nullable StatefulRedisConnection<String, byte[]> commands;
  private @Nullable StatefulRedisConnection<String, byte[]> reader;
  private io.lettuce.core.pubsub.@Nullable StatefulRedisPubSubConnection<String, byte[]> cancels;
  private @Nullable ScheduledFuture<?> heartbeat;
  private @Nullable ScheduledFuture<?> reclaimer;
  private final AtomicBoolean reclaiming = new AtomicBoolean();
  private long readerClientId;
  private volatile @Nullable CompletableFuture<Void> currentRead;
  private volatile boolean running;
  private volatile long redisClockOffsetMillis;
  private volatile @Nullable InstanceRegistration registration;
  private volatile boolean sendDescriptor = true;
  private final AtomicBoolean registryWarned = new AtomicBoolean();

  /** A transport for {@code keys}' service, not yet connected. */
  public ServerTransport(
      RedisKeys keys,
      String instanceId,
      int maxInFlight,
      Duration heartbeatInterval,
      Duration visibilityTimeout,
      @Nullable MessageSigner signer,
      Handler handler) {
    this.keys = keys;
    this.signer = signer;
    this.visibilityTimeout = visibilityTimeout;
    this.instanceId = instanceId;
    this.maxInFlight = maxInFlight;
    this.heartbeatInterval = heartbeatInterval;
    this.handler = handler;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "redisrpc-server-" + keys.service());
              t.setDaemon(true);
              return t;
            });
  }

  /** Connects, announces this instance and starts reading; returns once calls can arrive. */
  @Override
  public synchronized void connect(RedisURI uri) {
    RedisClient c = RedisConnector.client(uri, COMMAND_TIMEOUT);
    try {
      StatefulRedisConnection<String, byte[]> cmd = c.connect(RedisConnector.CODEC);
      StatefulRedisConnection<String, byte[]> rd = c.connect(RedisConnector.CODEC);
      this.readerClientId = rd.sync().clientId();
      io.lettuce.core.pubsub.StatefulRedisPubSubConnection<String, byte[]> sub =
          c.connectPubSub(RedisConnector.CODEC);
      sub.addListener(
          new io.lettuce.core.pubsub.RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
              if (channel.equals(keys.pings())) {
                onPingMessage(message);
              } else {
                onCancelMessage(message);
              }
            }
          });
      sub.sync().subscribe(keys.cancellations());
      try {
        sub.sync().subscribe(keys.pings());
      } catch (RuntimeException e) {
        // Discovery is optional: serving goes on without the per-instance ping.
        log.warn(
            "{} instance {} will not answer pings: {}", keys.service(), instanceId, e.getMessage());
      }
      this.cancels = sub;
      this.client = c;
      this.commands = cmd;
      this.reader = rd;
      beat();
    } catch (RuntimeException e) {
      RedisConnector.shutdown(c);
      this.client = null;
      throw RedisConnector.cannotConnect(uri, e);
    }
    running = true;
    long period = heartbeatInterval.toMillis();
    heartbeat =
        scheduler.scheduleAtFixedRate(this::beatQuietly, period, period, TimeUnit.MILLISECONDS);
    long reclaimPeriod = Math.max(30, visibilityTimeout.toMillis() / 3);
    reclaimer =
        scheduler.scheduleAtFixedRate(
            () -> {
              touchTaken();
              reclaim();
            },
            reclaimPeriod,
            reclaimPeriod,
            TimeUnit.MILLISECONDS);
    maybeRead();
  }

  private void onCancelMessage(byte[] signedMessage) {
    byte[] message = MessageSigner.unframe(signer, signedMessage);
    if (message == null) {
      log.debug("Ignored an unsigned cancellation on {}", keys.cancellations());
      return;
    }
    String text = new String(message, java.nio.charset.StandardCharsets.UTF_8);
    int space = text.indexOf(' ');
    if (space <= 0
        || space == text.length() - 1
        || !keys.isReplyChannel(text.substring(0, space))) {
      log.debug("Ignored a malformed cancellation on {}", keys.cancellations());
      return;
    }
    handler.onCancel(text.substring(0, space), text.substring(space + 1));
  }

  /** Answers a ping on {@link RedisKeys#pings()} on the caller's reply channel. */
  private void onPingMessage(byte[] signedMessage) {
    byte[] message = MessageSigner.unframe(signer, signedMessage);
    InstancePing.Request ping = message == null ? null : InstancePing.parse(message);
    if (ping == null || !keys.isReplyChannel(ping.replyTo())) {
      log.debug("Ignored a malformed or unsigned ping on {}", keys.pings());
      return;
    }
    byte[] reply =
        InstancePing.reply(
            ping.id(), keys.service(), instanceId, inFlight.get(), maxInFlight, redisNowMillis());
    publish(ping.replyTo(), reply)
        .whenComplete(
            (receivers, error) -> {
              if (error != null) {
                log.debug("Answer to a ping of {} failed: {}", keys.service(), error.getMessage());
              }
            });
  }

  /**
   * Makes each heartbeat also write {@code registration} into the registry: the service's
   * descriptor, this instance's hash, and the service's name in {@link RedisKeys#SERVICES}. Call
   * before {@link #connect}.
   */
  public void register(InstanceRegistration registration) {
    this.registration = registration;
  }

  private void beat() {
    StatefulRedisConnection<String, byte[]> cmd = commands;
    if (cmd == null) {
      return;
    }
    long ttl = heartbeatInterval.toMillis() * 3;
    InstanceRegistration reg = registration;
    String[] scriptKeys =
        reg == null
            ? new String[] {keys.instances(), keys.requests()}
            : new String[] {
              keys.instances(), keys.requests(), keys.instanceInfo(instanceId), keys.descriptor()
            };
    byte[][] args = InstanceRegistration.heartbeatArgs(reg, instanceId, ttl, sendDescriptor);
    long before = System.currentTimeMillis();
    java.util.concurrent.CompletionStage<List<Object>> script =
        Scripts.HEARTBEAT.<List<Object>>run(cmd.async(), ScriptOutputType.MULTI, scriptKeys, args);
    if (reg != null) {
      // Pipelined with the script: one round trip. The index has its own slot in a cluster.
      cmd.async()
          .sadd(RedisKeys.SERVICES, Scripts.bytes(keys.service()))
          .whenComplete(
              (added, error) -> {
                if (error != null && registryWarned.compareAndSet(false, true)) {
                  log.warn(
                      "{} is not listed in {}: {}",
                      keys.service(),
                      RedisKeys.SERVICES,
                      error.getMessage());
                }
              });
    }
    List<Object> result =
        script
            .toCompletableFuture()
            .orTimeout(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .join();
    long after = System.currentTimeMillis();
    long redisNow = ((Number) result.get(0)).longValue();
    // 0: the descriptor is missing (expired, or Redis restarted empty): send it next time.
    sendDescriptor = result.size() > 1 && ((Number) result.get(1)).longValue() == 0;
    redisClockOffsetMillis = redisNow - (before + after) / 2;
  }

  private void beatQuietly() {
    try {
      beat();
    } catch (RuntimeException e) {
      log.warn("Heartbeat of {} failed: {}", keys.service(), e.getMessage());
    }
  }

  /** Redis' clock now, as estimated at the last heartbeat. */
  public long redisNowMillis() {
    return System.currentTimeMillis() + redisClockOffsetMillis;
  }

  private void maybeRead() {
    while (running && inFlight.get() < maxInFlight && reading.compareAndSet(false, true)) {
      if (!running || inFlight.get() >= maxInFlight) {
        // Lost a race with the last free slot; let whoever frees one read again.
        reading.set(false);
        continue;
      }
      read();
      return;
    }
  }

  private void read() {
    StatefulRedisConnection<String, byte[]> rd = reader;
    if (rd == null) {
      reading.set(false);
      return;
    }
    int room = Math.min(MAX_BATCH, maxInFlight - inFlight.get());
    CompletableFuture<Void> done = new CompletableFuture<>();
    currentRead = done;
    rd.async()
        .xreadgroup(
            Consumer.from(RedisKeys.GROUP, instanceId),
            XReadArgs.Builder.block(BLOCK_MILLIS).count(room),
            XReadArgs.StreamOffset.lastConsumed(keys.requests()))
        .whenComplete(
            (messages, error) -> {
              try {
                if (error != null) {
                  onReadError(error);
                  return;
                }
                deliver(messages);
              } finally {
                done.complete(null);
              }
              reading.set(false);
              maybeRead();
              finishIfDrained();
            });
  }

  private void deliver(@Nullable List<StreamMessage<String, byte[]>> messages) {
    if (messages == null) {
      return;
    }
    for (StreamMessage<String, byte[]> message : messages) {
      Map<String, byte[]> body = message.getBody();
      dispatch(message.getId(), body.get("codec"), body.get("payload"), body.get("sig"), 1);
    }
  }

  private void dispatch(
      String id,
      byte @Nullable [] codec,
      byte @Nullable [] payload,
      byte @Nullable [] signature,
      long n) {
    inFlight.incrementAndGet();
    taken.add(id);
    try {
      handler.onRequest(id, codec, payload, signature, n);
    } catch (RuntimeException e) {
      log.error("Request {} of {} could not be dispatched", id, keys.service(), e);
      finished(id);
    }
  }

  /**
   * Resets the idle time of the requests this instance is running, so that only requests of dead
   * instances ever reach the visibility timeout, however long a handler takes.
   */
  private void touchTaken() {
    StatefulRedisConnection<String, byte[]> cmd = commands;
    if (!running || cmd == null || taken.isEmpty()) {
      return;
    }
    String[] ids = taken.toArray(new String[0]);
    if (ids.length == 0) {
      return;
    }
    cmd.async()
        .xclaim(
            keys.requests(),
            Consumer.from(RedisKeys.GROUP, instanceId),
            io.lettuce.core.XClaimArgs.Builder.justid().minIdleTime(0),
            ids)
        .whenComplete(
            (claimed, error) -> {
              if (error != null && running) {
                log.debug(
                    "Refreshing requests of {} failed: {}", keys.service(), error.getMessage());
              }
            });
  }

  /**
   * Takes over requests whose server died before acknowledging them: at-least-once endpoints run
   * again here; the handler decides what a redelivered at-most-once request gets.
   */
  private void reclaim() {
    StatefulRedisConnection<String, byte[]> cmd = commands;
    int room = maxInFlight - inFlight.get();
    if (!running || cmd == null || room <= 0 || !reclaiming.compareAndSet(false, true)) {
      return;
    }
    Scripts.RECLAIM
        .<List<Object>>run(
            cmd.async(),
            ScriptOutputType.MULTI,
            new String[] {keys.requests()},
            Scripts.bytes(RedisKeys.GROUP),
            Scripts.bytes(instanceId),
            Scripts.bytes(Long.toString(visibilityTimeout.toMillis())),
            Scripts.bytes(Integer.toString(Math.min(room, 64))))
        .whenComplete(
            (entries, error) -> {
              reclaiming.set(false);
              if (error != null) {
                if (running) {
                  log.debug(
                      "Reclaiming requests of {} failed: {}", keys.service(), error.getMessage());
                }
                return;
              }
              for (Object entry : entries) {
                List<?> e = (List<?>) entry;
                String id = text(e.get(0));
                long deliveries = ((Number) e.get(1)).longValue();
                List<?> fields = (List<?>) e.get(2);
                byte[] codec = null;
                byte[] payload = null;
                byte[] signature = null;
                for (int i = 0; i + 1 < fields.size(); i += 2) {
                  String field = text(fields.get(i));
                  if (field.equals("codec")) {
                    codec = (byte[]) fields.get(i + 1);
                  } else if (field.equals("payload")) {
                    payload = (byte[]) fields.get(i + 1);
                  } else if (field.equals("sig")) {
                    signature = (byte[]) fields.get(i + 1);
                  }
                }
                log.info(
                    "Reclaimed request {} of {} (delivery {})", id, keys.service(), deliveries);
                dispatch(id, codec, payload, signature, deliveries);
              }
            });
  }

  private static String text(Object value) {
    return value instanceof byte[]
        ? new String((byte[]) value, java.nio.charset.StandardCharsets.UTF_8)
        : String.valueOf(value);
  }

  /** Moves request {@code entryId} to the dead-letter stream with {@code error}. */
  public CompletableFuture<Void> deadLetter(
      String entryId, byte[] codec, byte[] payload, long deliveries, String error) {
    StatefulRedisConnection<String, byte[]> cmd = commands;
    if (cmd == null) {
      return CompletableFuture.completedFuture(null);
    }
    return Scripts.DEAD_LETTER
        .<Long>run(
            cmd.async(),
            ScriptOutputType.INTEGER,
            new String[] {keys.requests(), keys.deadLetters()},
            Scripts.bytes(RedisKeys.GROUP),
            Scripts.bytes(entryId),
            codec,
            payload,
            Scripts.bytes(Long.toString(deliveries)),
            Scripts.bytes(error))
        .toCompletableFuture()
        .<Void>thenApply(n -> null);
  }

  private void onReadError(Throwable error) {
    String message = String.valueOf(error.getMessage());
    if (running) {
      if (message.startsWith("NOGROUP")) {
        log.info(
            "Consumer group of {} is gone (Redis restarted?); creating it again", keys.service());
        scheduler.execute(
            () -> {
              beatQuietly();
              reading.set(false);
              maybeRead();
            });
        return;
      }
      log.warn("Reading requests of {} failed: {}; retrying", keys.service(), message);
      scheduler.schedule(
          () -> {
            reading.set(false);
            maybeRead();
          },
          500,
          TimeUnit.MILLISECONDS);
      return;
    }
    reading.set(false);
    finishIfDrained();
  }

  /** Marks delivered request {@code entryId} as done, freeing its slot. */
  public void finished(String entryId) {
    taken.remove(entryId);
    inFlight.decrementAndGet();
    maybeRead();
    finishIfDrained();
  }

  private void finishIfDrained() {
    if (!running && inFlight.get() == 0 && !reading.get()) {
      drained.complete(null);
    }
  }

  /** Acknowledges and deletes request {@code entryId} in the stream, batched with others. */
  public CompletableFuture<Void> acknowledge(String entryId) {
    return acks.acknowledge(entryId);
  }

  private CompletionStage<?> acknowledgeNow(List<String> entryIds) {
    StatefulRedisConnection<String, byte[]> cmd = commands;
    if (cmd == null) {
      return CompletableFuture.completedFuture(null);
    }
    byte[][] args = new byte[entryIds.size() + 1][];
    args[0] = Scripts.bytes(RedisKeys.GROUP);
    for (int i = 0; i < entryIds.size(); i++) {
      args[i + 1] = Scripts.bytes(entryIds.get(i));
    }
    return Scripts.ACK_DELETE.<Long>run(
        cmd.async(), ScriptOutputType.INTEGER, new String[] {keys.requests()}, args);
  }

  /** Publishes {@code reply} on {@code channel}. */
  public CompletableFuture<Long> publish(String channel, byte[] reply) {
    StatefulRedisConnection<String, byte[]> cmd = commands;
    if (cmd == null) {
      return CompletableFuture.failedFuture(new NotConnectedException("server is closed"));
    }
    return cmd.async().publish(channel, MessageSigner.frame(signer, reply)).toCompletableFuture();
  }

  /** This server instance's id. */
  public String instanceId() {
    return instanceId;
  }

  /** Calls delivered and not yet finished. */
  @Override
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public long rejectedMessages() {
    return handler.rejectedMessages();
  }

  /** Whether the server is taking calls. */
  @Override
  public boolean isRunning() {
    return running;
  }

  /**
   * Stops taking calls, lets those in flight finish (up to {@code timeout}), withdraws this
   * instance and closes. Returns whether every call finished in time.
   */
  @Override
  public boolean shutdown(Duration timeout) {
    synchronized (this) {
      if (!running) {
        return true;
      }
      running = false;
    }
    StatefulRedisConnection<String, byte[]> cmd = commands;
    for (ScheduledFuture<?> task : new ScheduledFuture<?>[] {heartbeat, reclaimer}) {
      if (task != null) {
        task.cancel(false);
      }
    }
    try {
      if (cmd != null) {
        // Withdraw first: when this was the last instance, callers learn it at once.
        cmd.sync().zrem(keys.instances(), Scripts.bytes(instanceId));
        CompletableFuture<Void> read = currentRead;
        if (read != null && !read.isDone()) {
          // Ends the blocked read as a timeout: entries it already took are still delivered.
          cmd.sync().clientUnblock(readerClientId, io.lettuce.core.UnblockType.TIMEOUT);
        }
      }
    } catch (RuntimeException e) {
      log.warn("Withdrawing {} instance {} failed: {}", keys.service(), instanceId, e.getMessage());
    }
    if (cmd != null && registration != null) {
      try {
        cmd.sync().del(keys.instanceInfo(instanceId));
      } catch (RuntimeException e) {
        log.debug(
            "Removing {} instance {} from the registry failed: {}",
            keys.service(),
            instanceId,
            e.getMessage());
      }
    }
    finishIfDrained();
    boolean complete;
    try {
      drained.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      complete = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      complete = false;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      complete = false;
    }
    if (!complete) {
      log.warn(
          "{} calls of {} still running after {}; closing anyway",
          inFlight.get(),
          keys.service(),
          timeout);
    }
    scheduler.shutdownNow();
    RedisClient c = client;
    client = null;
    commands = null;
    reader = null;
    cancels = null;
    if (c != null) {
      RedisConnector.shutdown(c);
    }
    return complete;
  }
}
