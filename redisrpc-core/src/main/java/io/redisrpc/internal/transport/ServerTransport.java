package io.redisrpc.internal.transport;

import io.lettuce.core.Consumer;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.redisrpc.NotConnectedException;
import io.redisrpc.internal.connection.BlockingConnection;
import io.redisrpc.internal.connection.RedisLink;
import io.redisrpc.internal.connection.Subscriber;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server end of the native protocol: announces this instance, takes requests from the service's
 * stream through the consumer group (never holding more than its limit), delivers replies, and
 * withdraws gracefully.
 */
public final class ServerTransport implements ServerChannel {
  private static final Logger log = LoggerFactory.getLogger(ServerTransport.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * How long the withdrawal's steps that need Redis may wait for it, all together (the calls' drain
   * has its own timeout); past it they go on without Redis.
   */
  private static final long WITHDRAW_BUDGET_MILLIS = 3_000;

  /** How long a blocked read may take to end after CLIENT UNBLOCK, or its block time without. */
  private static final long READ_END_MILLIS = 2_500;

  /** Receives each request entry taken from the stream. */
  public interface Handler {
    /**
     * Handles one entry; must call {@link ServerTransport#finished(String)} exactly once when the
     * call is done, whatever happens.
     */
    void onRequest(RequestEntry entry);

    /** Messages the handler refused. */
    long rejectedMessages();

    /** The caller of call {@code id} with reply address {@code replyTo} gave up on it. */
    void onCancel(String replyTo, String id);
  }

  private enum State {
    NEW,
    RUNNING,
    STOPPED
  }

  private final RedisKeys keys;
  private final String instanceId;
  private final Duration heartbeatInterval;
  private final Duration visibilityTimeout;
  private final @Nullable MessageSigner signer;
  private final Handler handler;
  private final Slots slots;
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final AckBatcher acks = new AckBatcher(this::acknowledgeNow);
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private final ScheduledExecutorService scheduler;
  private final Heartbeat heartbeat;
  private final RequestReader reader;
  private final ReplySender replies;

  private final Subscriber cancelListener = this::onCancelMessage;
  private final Subscriber pingListener = this::onPingMessage;
  private volatile @Nullable RedisLink link;
  private volatile @Nullable RedisClusterAsyncCommands<String, byte[]> commands;
  private @Nullable BlockingConnection readerConnection;
  private @Nullable ScheduledFuture<?> beats;
  private @Nullable ScheduledFuture<?> refreshes;
  private volatile State state = State.NEW;

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
    this.heartbeatInterval = heartbeatInterval;
    this.handler = handler;
    this.slots = new Slots(maxInFlight);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "redisrpc-server-" + keys.service());
              t.setDaemon(true);
              return t;
            });
    this.heartbeat = new Heartbeat(keys, instanceId, heartbeatInterval.toMillis());
    this.reader =
        new RequestReader(
            keys,
            instanceId,
            slots,
            visibilityTimeout.toMillis(),
            scheduler,
            this::dispatch,
            this::beatNow);
    this.replies =
        new ReplySender(
            keys,
            signer,
            () -> commands,
            heartbeat::redisNowMillis,
            () -> {
              RedisLink l = link;
              return l != null && l.sharded();
            });
  }

  /**
   * Makes each heartbeat also write {@code registration} into the registry: the service's
   * descriptor, this instance's hash, and the service's name in {@link RedisKeys#SERVICES}. Call
   * before {@link #connect}.
   */
  public void register(InstanceRegistration registration) {
    heartbeat.register(registration);
  }

  /**
   * Connects through {@code link}, announces this instance and starts reading; returns once calls
   * can arrive.
   */
  @Override
  public synchronized void connect(RedisLink link) {
    if (state != State.NEW) {
      throw new IllegalStateException(
          "A server of "
              + keys.service()
              + " connects once: it cannot connect again after disconnect(); build a new one");
    }
    this.link = link;
    try {
      RedisClusterAsyncCommands<String, byte[]> cmd = link.commands();
      this.commands = cmd;
      link.subscriptions()
          .subscribe(keys.cancellations(), cancelListener)
          .get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      try {
        link.subscriptions()
            .subscribe(keys.pings(), pingListener)
            .get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // Discovery is optional: serving goes on without the per-instance ping.
        log.warn(
            "{} instance {} will not answer pings: {}", keys.service(), instanceId, e.getMessage());
      }
      this.readerConnection = link.blockingConnection(keys.requests());
      heartbeat.beat(cmd).get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException | ExecutionException | TimeoutException e) {
      closeConnections();
      if (e instanceof NotConnectedException) {
        throw (NotConnectedException) e;
      }
      throw link.cannotConnect(e instanceof ExecutionException ? e.getCause() : e);
    } catch (InterruptedException e) {
      closeConnections();
      Thread.currentThread().interrupt();
      throw new NotConnectedException("Interrupted while connecting", e);
    }
    state = State.RUNNING;
    long period = heartbeatInterval.toMillis();
    beats = scheduler.scheduleAtFixedRate(this::beatNow, period, period, TimeUnit.MILLISECONDS);
    long refreshPeriod = Math.max(30, visibilityTimeout.toMillis() / 3);
    refreshes =
        scheduler.scheduleAtFixedRate(
            this::refreshHeld, refreshPeriod, refreshPeriod, TimeUnit.MILLISECONDS);
    reader.start(readerConnection, commands);
  }

  /** Leaves the channels and closes the reading connection; the link stays open. */
  private void closeConnections() {
    RedisLink l = link;
    if (l != null) {
      l.subscriptions().unsubscribe(keys.cancellations(), cancelListener);
      l.subscriptions().unsubscribe(keys.pings(), pingListener);
    }
    BlockingConnection rd = readerConnection;
    if (rd != null) {
      rd.close();
    }
    this.commands = null;
    this.readerConnection = null;
  }

  private void beatNow() {
    RedisClusterAsyncCommands<String, byte[]> cmd = commands;
    if (cmd == null || state == State.STOPPED) {
      return;
    }
    heartbeat
        .beat(cmd)
        .whenComplete(
            (ok, error) -> {
              if (error != null && state == State.RUNNING) {
                log.warn("Heartbeat of {} failed: {}", keys.service(), error.getMessage());
              }
            });
  }

  private void onCancelMessage(byte[] signedMessage) {
    byte[] message = MessageSigner.unframe(signer, keys.cancellations(), signedMessage);
    if (message == null) {
      log.debug("Ignored an unsigned cancellation on {}", keys.cancellations());
      return;
    }
    String text = new String(message, StandardCharsets.UTF_8);
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
    byte[] message = MessageSigner.unframe(signer, keys.pings(), signedMessage);
    InstancePing.Request ping = message == null ? null : InstancePing.parse(message);
    RedisClusterAsyncCommands<String, byte[]> cmd = commands;
    if (ping == null || !keys.isReplyChannel(ping.replyTo()) || cmd == null) {
      log.debug("Ignored a malformed or unsigned ping on {}", keys.pings());
      return;
    }
    byte[] reply =
        InstancePing.reply(
            ping.id(), keys.service(), instanceId, inFlight(), slots.limit(), redisNowMillis());
    RedisLink l = link;
    if (l == null) {
      return;
    }
    l.publish(ping.replyTo(), MessageSigner.frame(signer, ping.replyTo(), reply))
        .whenComplete(
            (receivers, error) -> {
              if (error != null) {
                log.debug("Answer to a ping of {} failed: {}", keys.service(), error.getMessage());
              }
            });
  }

  /** Redis' clock now, as estimated at the last heartbeat. */
  public long redisNowMillis() {
    return heartbeat.redisNowMillis();
  }

  /** Hands a taken entry to the handler; it holds its slot until {@link #finished}. */
  private void dispatch(RequestEntry entry) {
    if (!held.add(entry.id())) {
      // Already ours (a refresh that failed, then a reclaim): it runs once here.
      slots.release(1);
      return;
    }
    try {
      handler.onRequest(entry);
    } catch (RuntimeException | Error e) {
      log.error("Request {} of {} could not be dispatched", entry.id(), keys.service(), e);
      finished(entry.id());
    }
  }

  /**
   * Resets the idle time of the requests this instance holds, so that only requests of dead
   * instances ever reach the visibility timeout, however long a handler takes. Goes on while a
   * withdrawing instance drains its calls.
   */
  private void refreshHeld() {
    RedisClusterAsyncCommands<String, byte[]> cmd = commands;
    String[] ids = held.toArray(new String[0]);
    if (cmd == null || ids.length == 0) {
      return;
    }
    cmd.xclaim(
            keys.requests(),
            Consumer.from(RedisKeys.GROUP, instanceId),
            XClaimArgs.Builder.justid().minIdleTime(0),
            ids)
        .whenComplete(
            (claimed, error) -> {
              if (error != null && state == State.RUNNING) {
                log.debug(
                    "Refreshing requests of {} failed: {}", keys.service(), error.getMessage());
              }
            });
  }

  /** Moves request {@code entryId} to the dead-letter stream with {@code error}. */
  public CompletableFuture<Void> deadLetter(
      String entryId, byte[] codec, byte[] payload, long deliveries, String error) {
    RedisClusterAsyncCommands<String, byte[]> cmd = commands;
    if (cmd == null) {
      return CompletableFuture.completedFuture(null);
    }
    return Scripts.DEAD_LETTER
        .<Long>run(
            cmd,
            ScriptOutputType.INTEGER,
            new String[] {keys.requests(), keys.deadLetters()},
            Scripts.bytes(RedisKeys.GROUP),
            Scripts.bytes(entryId),
            codec,
            payload,
            Scripts.bytes(Long.toString(deliveries)),
            Scripts.bytes(error))
        .<Void>thenApply(n -> null);
  }

  /**
   * Records that signed call {@code callId} of {@code replyTo} was taken as entry {@code entryId},
   * for {@code ttlMillis}. Completes with true when this is its first taking (or the same entry
   * taken again after a crash, when {@code redelivered}), false when the call was taken before as
   * another entry: a replay.
   */
  public CompletableFuture<Boolean> recordCall(
      String replyTo, String callId, String entryId, long ttlMillis, boolean redelivered) {
    RedisClusterAsyncCommands<String, byte[]> cmd = commands;
    if (cmd == null) {
      return CompletableFuture.failedFuture(new NotConnectedException("server is closed"));
    }
    byte[] entry = Scripts.bytes(entryId);
    return cmd.setGet(
            keys.seenCall(replyTo, callId), entry, SetArgs.Builder.nx().px(Math.max(1, ttlMillis)))
        .toCompletableFuture()
        .thenApply(
            previous ->
                previous == null || (redelivered && java.util.Arrays.equals(previous, entry)));
  }

  /** Marks request {@code entryId} as done, freeing its slot. Later calls for it do nothing. */
  public void finished(String entryId) {
    if (held.remove(entryId)) {
      slots.release(1);
      reader.wake();
      finishIfDrained();
    }
  }

  private void finishIfDrained() {
    if (state == State.STOPPED && held.isEmpty()) {
      drained.complete(null);
    }
  }

  /** Acknowledges and deletes request {@code entryId} in the stream, batched with others. */
  public CompletableFuture<Void> acknowledge(String entryId) {
    return acks.acknowledge(entryId);
  }

  private CompletionStage<?> acknowledgeNow(List<String> entryIds) {
    RedisClusterAsyncCommands<String, byte[]> cmd = commands;
    if (cmd == null) {
      return CompletableFuture.completedFuture(null);
    }
    byte[][] args = new byte[entryIds.size() + 1][];
    args[0] = Scripts.bytes(RedisKeys.GROUP);
    for (int i = 0; i < entryIds.size(); i++) {
      args[i + 1] = Scripts.bytes(entryIds.get(i));
    }
    return Scripts.ACK_DELETE.<Long>run(
        cmd, ScriptOutputType.INTEGER, new String[] {keys.requests()}, args);
  }

  /**
   * Delivers {@code reply} to call {@code callId} of the client on {@code channel}: published, or
   * parked until {@code deadlineMillis} (Redis' clock; -1 for none) while nobody listens there.
   * Completes with false only when Redis stayed unreachable until the deadline.
   */
  public CompletableFuture<Boolean> reply(
      String channel, String callId, byte[] reply, long deadlineMillis) {
    return replies.send(channel, callId, reply, deadlineMillis);
  }

  /** This server instance's id. */
  public String instanceId() {
    return instanceId;
  }

  /** Calls taken and not yet finished. */
  @Override
  public int inFlight() {
    return held.size();
  }

  @Override
  public long rejectedMessages() {
    return handler.rejectedMessages();
  }

  /** Whether the server is taking calls. */
  @Override
  public boolean isRunning() {
    return state == State.RUNNING;
  }

  /**
   * Stops taking calls, withdraws this instance, lets the calls it holds finish (up to {@code
   * timeout}, still refreshing them so that no other instance takes them over), leaves the consumer
   * group when nothing of it is pending, and closes. Every step that needs Redis waits for it only
   * briefly, so that closing while Redis is down is prompt. Returns whether every call finished in
   * time.
   */
  @Override
  public boolean shutdown(Duration timeout) {
    synchronized (this) {
      if (state != State.RUNNING) {
        state = State.STOPPED;
        scheduler.shutdownNow();
        return true;
      }
      state = State.STOPPED;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    long budget = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WITHDRAW_BUDGET_MILLIS);
    RedisClusterAsyncCommands<String, byte[]> cmd = commands;
    // Heartbeats run on the scheduler's one thread: once this task runs, none is starting.
    bounded(CompletableFuture.runAsync(() -> cancel(beats), scheduler), budget);
    BlockingConnection rd = readerConnection;
    if (reader.stop() && rd != null) {
      // Ends the blocked read as a timeout: entries it already took are still delivered.
      bounded(rd.unblock(), budget);
    }
    // A heartbeat under way would announce this instance again after it withdrew.
    bounded(heartbeat.current(), budget);
    boolean answering = true;
    if (cmd != null) {
      // Withdraw first: when this was the last instance, callers learn it at once.
      answering =
          bounded(
              CompletableFuture.allOf(
                  cmd.zrem(keys.instances(), Scripts.bytes(instanceId)).toCompletableFuture(),
                  cmd.del(keys.instanceInfo(instanceId)).toCompletableFuture()),
              budget);
    }
    // A read Redis does not answer delivers nothing: wait for it only while Redis answers.
    long readEnd = answering ? TimeUnit.MILLISECONDS.toNanos(READ_END_MILLIS) : 0;
    await(reader.idle(), Math.min(deadline, System.nanoTime() + readEnd));
    boolean complete = awaitDrained(deadline);
    if (!complete) {
      log.warn(
          "{} calls of {} still running after {}; closing anyway",
          held.size(),
          keys.service(),
          timeout);
    }
    cancel(refreshes);
    long tail =
        System.nanoTime() + (answering ? TimeUnit.MILLISECONDS.toNanos(WITHDRAW_BUDGET_MILLIS) : 0);
    bounded(acks.idle(), tail);
    if (complete && answering && cmd != null) {
      // Consumers would pile up in the group, one per instance ever started.
      bounded(
          Scripts.RELEASE_CONSUMER.run(
              cmd,
              ScriptOutputType.INTEGER,
              new String[] {keys.requests()},
              Scripts.bytes(RedisKeys.GROUP),
              Scripts.bytes(instanceId)),
          tail);
    }
    scheduler.shutdownNow();
    closeConnections();
    return complete;
  }

  private boolean awaitDrained(long deadlineNanos) {
    finishIfDrained();
    return await(drained, deadlineNanos);
  }

  private static void cancel(@Nullable ScheduledFuture<?> task) {
    if (task != null) {
      task.cancel(false);
    }
  }

  /**
   * Waits for {@code step} until {@code untilNanos} at most; its failure is only logged. Returns
   * false when it did not end in time: Redis does not answer.
   */
  private boolean bounded(CompletionStage<?> step, long untilNanos) {
    try {
      step.toCompletableFuture()
          .get(Math.max(0, untilNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (TimeoutException e) {
      log.debug("Withdrawing {} instance {}: Redis did not answer", keys.service(), instanceId);
      return false;
    } catch (ExecutionException | RuntimeException e) {
      log.debug("Withdrawing {} instance {}: {}", keys.service(), instanceId, e.toString());
      return true;
    }
  }

  private static boolean await(CompletableFuture<?> future, long deadlineNanos) {
    try {
      future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }
}
