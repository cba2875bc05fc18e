package io.redisrpc.internal.transport;

import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.redisrpc.NotConnectedException;
import io.redisrpc.internal.connection.RedisLink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * The server end of the native protocol: announces this instance (its {@link Heartbeat}), takes
 * requests from each of the service's streams (a {@link Partition} each, never holding more than
 * its limit), hears cancellations and pings ({@link ServiceNotices}), delivers replies ({@link
 * ReplySender}), and withdraws gracefully.
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

  /** Receives each request entry taken from the streams. */
  public interface Handler {
    /**
     * Handles one entry; must call {@link ServerTransport#finished(String)} with its id exactly
     * once when the call is done, whatever happens.
     */
    void onRequest(RequestEntry entry);

    /** Messages the handler refused. */
    long rejectedMessages();

    /** The caller of call {@code id} with reply address {@code replyTo} gave up on it. */
    void onCancel(String replyTo, String id);

    /**
     * The caller of stream {@code id} with reply address {@code replyTo} grants {@code total} items
     * in all; ignored by handlers without streams.
     */
    default void onCredit(String replyTo, String id, long total) {}

    /**
     * The server is closing and takes no more calls: calls that would otherwise run on for long
     * (streams) should end now.
     */
    default void onShutdown() {}
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
  private final Handler handler;
  private final int maxInFlight;
  private final List<Partition> partitions = new ArrayList<>();
  private final HeldRequests held = new HeldRequests();
  private final ScheduledExecutorService scheduler;
  private final Heartbeat heartbeat;
  private final ServiceNotices notices;
  private final ReplySender replies;
  private final java.util.concurrent.atomic.AtomicLong broadcastCount =
      new java.util.concurrent.atomic.AtomicLong();

  private volatile @Nullable RedisLink link;
  private volatile @Nullable RedisClusterAsyncCommands<String, byte[]> commands;
  private @Nullable ScheduledFuture<?> beats;
  private @Nullable ScheduledFuture<?> refreshes;
  private volatile State state = State.NEW;

  /**
   * A transport for the service of {@code partitionKeys} (one element for a service of one
   * partition), not yet connected; at most {@code maxInFlight} calls run at once, shared evenly
   * among the partitions (at least one each).
   */
  public ServerTransport(
      List<RedisKeys> partitionKeys,
      String instanceId,
      int maxInFlight,
      Duration heartbeatInterval,
      Duration visibilityTimeout,
      @Nullable MessageSigner signer,
      Handler handler) {
    this.keys = partitionKeys.get(0);
    this.visibilityTimeout = visibilityTimeout;
    this.instanceId = instanceId;
    this.heartbeatInterval = heartbeatInterval;
    this.handler = handler;
    this.maxInFlight = maxInFlight;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "redisrpc-server-" + keys.service());
              t.setDaemon(true);
              return t;
            });
    this.heartbeat = new Heartbeat(partitionKeys, instanceId, heartbeatInterval.toMillis());
    int count = partitionKeys.size();
    for (RedisKeys partition : partitionKeys) {
      int p = partition.partition();
      int share = Math.max(1, maxInFlight / count + (p < maxInFlight % count ? 1 : 0));
      partitions.add(
          new Partition(
              partition,
              count > 1,
              instanceId,
              share,
              visibilityTimeout.toMillis(),
              scheduler,
              this::dispatch,
              this::beatNow,
              () -> commands));
    }
    this.notices =
        new ServiceNotices(
            partitionKeys,
            signer,
            handler::onCancel,
            handler::onCredit,
            id ->
                InstancePing.reply(
                    id, keys.service(), instanceId, inFlight(), maxInFlight, redisNowMillis()),
            this::onBroadcast);
    this.replies =
        new ReplySender(
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
    RedisClusterAsyncCommands<String, byte[]> cmd;
    try {
      cmd = link.commands();
      this.commands = cmd;
      link.awaitSubscription(
          notices.subscribeCancellations(link), keys.cancellations(), CONNECT_TIMEOUT);
      try {
        notices.subscribePings(link).get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // Discovery is optional: serving goes on without the per-instance ping.
        log.warn(
            "{} instance {} will not answer pings: {}", keys.service(), instanceId, e.getMessage());
      }
      try {
        // Before the first heartbeat: a caller that sees this instance live reaches it.
        notices.subscribeBroadcasts(link).get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        log.warn(
            "{} instance {} will not answer broadcast calls: {}",
            keys.service(),
            instanceId,
            e.getMessage());
      }
      try {
        heartbeat.beat(cmd).get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new TimeoutException(
            "Redis did not answer the first heartbeat within "
                + CONNECT_TIMEOUT.toMillis()
                + " ms");
      }
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
    for (Partition partition : partitions) {
      partition.start(link, cmd);
    }
  }

  /** Leaves the channels and closes the reading connections; the link stays open. */
  private void closeConnections() {
    notices.unsubscribe();
    partitions.forEach(Partition::close);
    this.commands = null;
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

  /** Redis' clock now, as estimated at the last heartbeat. */
  public long redisNowMillis() {
    return heartbeat.redisNowMillis();
  }

  /**
   * A broadcast call, {@code "<codec> <payload>"}: handed to the handler like an entry, but it
   * holds no slot and nothing of it is in a stream. Ignored unless the instance serves: a withdrawn
   * instance is not among those its caller waits for.
   */
  private void onBroadcast(byte[] message) {
    if (state != State.RUNNING) {
      return;
    }
    int space = -1;
    for (int i = 0; i < message.length && i <= 32; i++) {
      if (message[i] == ' ') {
        space = i;
        break;
      }
    }
    if (space <= 0) {
      log.debug("Ignored a malformed broadcast of {}", keys.service());
      return;
    }
    RequestEntry entry =
        RequestEntry.broadcast(
            broadcastCount.incrementAndGet(),
            Arrays.copyOfRange(message, 0, space),
            Arrays.copyOfRange(message, space + 1, message.length),
            redisNowMillis(),
            keys);
    try {
      handler.onRequest(entry);
    } catch (RuntimeException | Error e) {
      log.error("Broadcast {} of {} could not be dispatched", entry.id(), keys.service(), e);
    }
  }

  /** Hands a taken entry to the handler; it holds its slot until {@link #finished}. */
  private void dispatch(RequestEntry entry) {
    if (!held.take(entry.id())) {
      // Already ours (a refresh that failed, then a reclaim): it runs once here.
      partition(entry.id()).slots.release(1);
      return;
    }
    try {
      handler.onRequest(entry);
    } catch (RuntimeException | Error e) {
      log.error("Request {} of {} could not be dispatched", entry.id(), keys.service(), e);
      finished(entry.id());
    }
  }

  private Partition partition(String handle) {
    return partitions.get(EntryHandle.partition(handle));
  }

  /**
   * Resets the idle time of the requests this instance holds, so that only requests of dead
   * instances ever reach the visibility timeout, however long a handler takes. Goes on while a
   * withdrawing instance drains its calls.
   */
  private void refreshHeld() {
    RedisClusterAsyncCommands<String, byte[]> cmd = commands;
    if (cmd == null || held.size() == 0) {
      return;
    }
    List<List<String>> ids = held.byPartition(partitions.size());
    for (int p = 0; p < ids.size(); p++) {
      if (ids.get(p).isEmpty()) {
        continue;
      }
      partitions
          .get(p)
          .refresh(cmd, ids.get(p).toArray(new String[0]))
          .whenComplete(
              (claimed, error) -> {
                if (error != null && state == State.RUNNING) {
                  log.debug(
                      "Refreshing requests of {} failed: {}", keys.service(), error.getMessage());
                }
              });
    }
  }

  /** Moves request {@code handle} to its dead-letter stream with {@code error}. */
  public CompletableFuture<Void> deadLetter(
      String handle, byte[] codec, byte[] payload, long deliveries, String error) {
    RedisClusterAsyncCommands<String, byte[]> cmd = commands;
    if (cmd == null) {
      return CompletableFuture.completedFuture(null);
    }
    return partition(handle)
        .deadLetter(cmd, EntryHandle.entryId(handle), codec, payload, deliveries, error);
  }

  /**
   * Records that signed call {@code callId} of {@code replyTo} was taken as request {@code handle},
   * for {@code ttlMillis}. Completes with true when this is its first taking (or the same entry
   * taken again after a crash, when {@code redelivered}), false when the call was taken before as
   * another entry: a replay.
   */
  public CompletableFuture<Boolean> recordCall(
      String replyTo, String callId, String handle, long ttlMillis, boolean redelivered) {
    if (commands == null) {
      return CompletableFuture.failedFuture(new NotConnectedException("server is closed"));
    }
    return partition(handle).recordCall(replyTo, callId, handle, ttlMillis, redelivered);
  }

  /**
   * Sets {@code key} of endpoint {@code method} (section 10 of docs/PROTOCOL.md) to {@code value}
   * for {@code ttlMillis}, unless it is set; completes with its previous value, null when this set
   * it.
   */
  public CompletableFuture<byte @Nullable []> claimIdempotencyKey(
      String method, String key, byte[] value, long ttlMillis) {
    RedisClusterAsyncCommands<String, byte[]> cmd = commands;
    if (cmd == null) {
      return CompletableFuture.failedFuture(new NotConnectedException("server is closed"));
    }
    return cmd.setGet(
            keys.idempotency(method, key), value, SetArgs.Builder.nx().px(Math.max(1, ttlMillis)))
        .toCompletableFuture();
  }

  /**
   * Sets {@code key} of endpoint {@code method} to {@code value} for {@code ttlMillis}, or deletes
   * it when {@code value} is null.
   */
  public CompletableFuture<?> recordIdempotencyKey(
      String method, String key, byte @Nullable [] value, long ttlMillis) {
    RedisClusterAsyncCommands<String, byte[]> cmd = commands;
    if (cmd == null) {
      return CompletableFuture.failedFuture(new NotConnectedException("server is closed"));
    }
    String name = keys.idempotency(method, key);
    return (value == null
            ? cmd.del(name)
            : cmd.set(name, value, SetArgs.Builder.px(Math.max(1, ttlMillis))))
        .toCompletableFuture();
  }

  /** Marks request {@code handle} as done, freeing its slot. Later calls for it do nothing. */
  public void finished(String handle) {
    if (held.release(handle)) {
      Partition p = partition(handle);
      p.slots.release(1);
      p.reader.wake();
      if (state == State.STOPPED) {
        held.completeIfEmpty();
      }
    }
  }

  /**
   * Acknowledges and deletes request {@code handle} in its stream, batched with others; nothing for
   * a broadcast call, which is in no stream.
   */
  public CompletableFuture<Void> acknowledge(String handle) {
    if (EntryHandle.isBroadcast(handle)) {
      return CompletableFuture.completedFuture(null);
    }
    return partition(handle).acknowledge(EntryHandle.entryId(handle));
  }

  /**
   * Delivers {@code reply} to call {@code callId} of the client on {@code channel}: published, or
   * parked until {@code deadlineMillis} (Redis' clock; -1 for none) while nobody listens there;
   * with others to the same client when {@code batchable} (its client reads batches). Completes
   * with false only when Redis stayed unreachable until the deadline.
   */
  public CompletableFuture<Boolean> reply(
      String channel, String callId, byte[] reply, long deadlineMillis, boolean batchable) {
    return replies.send(channel, callId, reply, deadlineMillis, batchable);
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
   * groups when nothing of it is pending, and closes. Every step that needs Redis waits for it only
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
    long budget = BoundedWait.inMillis(WITHDRAW_BUDGET_MILLIS);
    RedisClusterAsyncCommands<String, byte[]> cmd = commands;
    // Heartbeats run on the scheduler's one thread: once this task runs, none is starting.
    BoundedWait.until(CompletableFuture.runAsync(() -> cancel(beats), scheduler), budget);
    for (Partition partition : partitions) {
      BoundedWait.until(partition.stopReading(), budget);
    }
    // A heartbeat under way would announce this instance again after it withdrew.
    BoundedWait.until(heartbeat.current(), budget);
    // Withdraw first: when this was the last instance, callers learn it at once.
    boolean answering = cmd == null || BoundedWait.until(heartbeat.withdraw(cmd), budget);
    // A read Redis does not answer delivers nothing: wait for it only while Redis answers.
    long readEnd = answering ? TimeUnit.MILLISECONDS.toNanos(READ_END_MILLIS) : 0;
    for (Partition partition : partitions) {
      BoundedWait.succeeded(
          partition.reader.idle(), Math.min(deadline, System.nanoTime() + readEnd));
    }
    // A stream may have no end: it ends now, so that closing waits only for its last messages.
    handler.onShutdown();
    held.completeIfEmpty();
    boolean complete = BoundedWait.succeeded(held.drained(), deadline);
    if (!complete) {
      log.warn(
          "{} calls of {} still running after {}; closing anyway",
          held.size(),
          keys.service(),
          timeout);
    }
    cancel(refreshes);
    long tail = answering ? BoundedWait.inMillis(WITHDRAW_BUDGET_MILLIS) : System.nanoTime();
    for (Partition partition : partitions) {
      BoundedWait.until(partition.acknowledged(), tail);
    }
    if (complete && answering && cmd != null) {
      // Consumers would pile up in the groups, one per instance ever started.
      List<CompletionStage<?>> leaving = new ArrayList<>();
      partitions.forEach(p -> leaving.add(p.leaveGroup(cmd)));
      leaving.forEach(step -> BoundedWait.until(step, tail));
    }
    scheduler.shutdownNow();
    closeConnections();
    return complete;
  }

  private static void cancel(@Nullable ScheduledFuture<?> task) {
    if (task != null) {
      task.cancel(false);
    }
  }
}
