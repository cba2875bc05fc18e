package io.redisrpc.internal.transport;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.redisrpc.NotConnectedException;
import io.redisrpc.RpcException;
import io.redisrpc.StatusCode;
import io.redisrpc.internal.Timers;
import io.redisrpc.internal.codec.MethodCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends a client's requests to their streams: calls that wait while the previous append to the
 * same stream is on its way leave together, in one ENQUEUE_BATCH script with one liveness check
 * ({@link Batcher}); a lone call leaves at once. Each request is still an entry of its own, so
 * acknowledgement and redelivery stay per call. What each call learns:
 *
 * <ul>
 *   <li>appended: it waits for its reply or its deadline; a one-way call is done;
 *   <li>no live server, or Redis refused it: {@code UNAVAILABLE} at once, nothing ran;
 *   <li>the stream or slot took nothing for now: sent again until its deadline;
 *   <li>the connection failed on the way: it may be in the stream, so only its reply or its
 *       deadline ends it; a one-way call, which has no reply, fails at once with {@code UNKNOWN}.
 * </ul>
 */
final class RequestSender {
  private static final Logger log = LoggerFactory.getLogger(RequestSender.class);
  private static final int MAX_BATCH = 64;
  private static final int MAX_BATCH_BYTES = 1 << 20;
  private static final long RETRY_MILLIS = 100;

  /**
   * One call's request, on its way to the stream of its route; a one-way one waits for no reply.
   */
  record Outgoing(
      ReplyRoutes.Route route,
      PendingCalls<MethodCodec>.Pending waiting,
      byte[] codec,
      byte[] payload,
      byte[] signature,
      boolean oneWay) {}

  private final Supplier<@Nullable RedisClusterAsyncCommands<String, byte[]>> commands;
  private final ReplyRoutes routes;
  private final byte[] streamCap;
  private final List<Batcher<Outgoing>> batchers = new ArrayList<>();

  RequestSender(
      int partitions,
      ReplyRoutes routes,
      Supplier<@Nullable RedisClusterAsyncCommands<String, byte[]>> commands,
      byte[] streamCap) {
    this.routes = routes;
    this.commands = commands;
    this.streamCap = streamCap;
    for (int p = 0; p < partitions; p++) {
      batchers.add(
          new Batcher<>(
              MAX_BATCH, MAX_BATCH_BYTES, o -> o.payload().length, this::sendBatch, () -> {}));
    }
  }

  /** Appends {@code request} to its route's stream, now or with the next batch. */
  void send(Outgoing request) {
    batchers.get(request.route().keys().partition()).submit(request);
  }

  private CompletionStage<?> sendBatch(List<Outgoing> batch) {
    List<Outgoing> live = new ArrayList<>(batch.size());
    for (Outgoing o : batch) {
      // A call that ended meanwhile (deadline, cancellation) is not sent at all.
      if (!o.waiting().future.isDone()) {
        live.add(o);
      }
    }
    RedisClusterAsyncCommands<String, byte[]> cmd = commands.get();
    if (live.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    if (cmd == null) {
      live.forEach(o -> o.waiting().fail(new NotConnectedException("The client was closed")));
      return CompletableFuture.completedFuture(null);
    }
    byte[][] args = new byte[1 + 3 * live.size()][];
    args[0] = streamCap;
    for (int i = 0; i < live.size(); i++) {
      args[1 + 3 * i] = live.get(i).codec();
      args[2 + 3 * i] = live.get(i).payload();
      args[3 + 3 * i] = live.get(i).signature();
    }
    ReplyRoutes.Route route = live.get(0).route();
    return Scripts.ENQUEUE_BATCH
        .<List<Object>>run(cmd, ScriptOutputType.MULTI, route.enqueueKeys(), args)
        .whenComplete((ids, error) -> settle(live, ids, error));
  }

  private void settle(List<Outgoing> batch, @Nullable List<Object> ids, @Nullable Throwable error) {
    if (error != null) {
      SendFailure failure = SendFailure.of(error);
      for (Outgoing o : batch) {
        failed(o, failure, String.valueOf(error.getMessage()), error);
      }
      return;
    }
    if (ids == null || ids.isEmpty()) {
      for (Outgoing o : batch) {
        o.waiting().fail(new NotConnectedException(routes.noLiveServer(o.route())));
      }
      return;
    }
    long now = System.nanoTime();
    for (int i = 0; i < batch.size(); i++) {
      Object id = i < ids.size() ? ids.get(i) : null;
      String text =
          id instanceof byte[]
              ? new String((byte[]) id, StandardCharsets.UTF_8)
              : String.valueOf(id);
      if (text.startsWith("!")) {
        // Redis refused this one alone: nothing of it was appended.
        String why = text.substring(1);
        failed(batch.get(i), SendFailure.ofRefusal(why), why, null);
      } else {
        PendingCalls<MethodCodec>.Pending waiting = batch.get(i).waiting();
        io.redisrpc.RpcCall call = waiting.call;
        if (call != null) {
          waiting.listener.requestEnqueued(call, now);
        }
        if (batch.get(i).oneWay()) {
          // Durably in the stream: all a one-way caller waits for.
          waiting.succeed(null);
        }
      }
    }
  }

  private void failed(Outgoing o, SendFailure failure, String why, @Nullable Throwable cause) {
    PendingCalls<MethodCodec>.Pending waiting = o.waiting();
    if (waiting.future.isDone()) {
      return;
    }
    String name = waiting.method.model().qualifiedName();
    switch (failure) {
      case NOT_SENT:
        waiting.fail(new NotConnectedException("Cannot send " + name + ": " + why, cause));
        break;
      case TRY_AGAIN:
        retry(o, why, cause);
        break;
      case MAYBE_SENT:
      default:
        if (o.oneWay()) {
          // No reply will ever tell: say so now rather than at the deadline.
          waiting.fail(
              new RpcException(
                  StatusCode.UNKNOWN,
                  "The connection failed while "
                      + name
                      + " was being enqueued: the one-way call may or may not run: "
                      + why,
                  cause));
          break;
        }
        // The request may be in the stream and run: its reply or its deadline ends the call,
        // never a guess that it failed.
        log.debug("The enqueue of {} may have happened: {}", name, why);
        break;
    }
  }

  /**
   * The stream could take no entry (its ids were pushed to the end, which servers repair soon), or
   * its cluster slot is moving: tried again until the deadline.
   */
  private void retry(Outgoing o, String why, @Nullable Throwable cause) {
    PendingCalls<MethodCodec>.Pending waiting = o.waiting();
    if (waiting.deadline.remainingMillis() <= RETRY_MILLIS) {
      waiting.fail(
          new NotConnectedException(
              "Cannot send "
                  + waiting.method.model().qualifiedName()
                  + ": Redis takes no request for it now: "
                  + why,
              cause));
      return;
    }
    Timers.schedule(
        t -> {
          if (!waiting.future.isDone()) {
            send(o);
          }
        },
        RETRY_MILLIS,
        TimeUnit.MILLISECONDS);
  }
}
