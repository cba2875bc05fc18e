package io.redisrpc.events;

import io.redisrpc.EventListener;
import io.redisrpc.RpcCall;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/** The listener of one call: records each phase with its time. */
final class Recorder extends EventListener {
  /** One phase as heard. */
  record Phase(String name, long nanoTime, @Nullable Object detail) {}

  final RpcCall created;
  final List<Phase> phases = new CopyOnWriteArrayList<>();

  Recorder(RpcCall created) {
    this.created = created;
  }

  List<String> names() {
    List<String> names = new ArrayList<>();
    phases.forEach(p -> names.add(p.name()));
    return names;
  }

  private void heard(String name, long nanoTime, @Nullable Object detail) {
    phases.add(new Phase(name, nanoTime, detail));
  }

  @Override
  public void callStart(RpcCall call, long nanoTime) {
    heard("callStart", nanoTime, null);
  }

  @Override
  public void requestEncoded(RpcCall call, int bytes, long nanoTime) {
    heard("requestEncoded", nanoTime, bytes);
  }

  @Override
  public void requestEnqueued(RpcCall call, long nanoTime) {
    heard("requestEnqueued", nanoTime, null);
  }

  @Override
  public void replyReceived(RpcCall call, long nanoTime) {
    heard("replyReceived", nanoTime, null);
  }

  @Override
  public void callEnd(RpcCall call, long nanoTime) {
    heard("callEnd", nanoTime, null);
  }

  @Override
  public void callFailed(RpcCall call, Throwable error, long nanoTime) {
    heard("callFailed", nanoTime, error);
  }

  @Override
  public void requestTaken(RpcCall call, long nanoTime) {
    heard("requestTaken", nanoTime, null);
  }

  @Override
  public void handlerStart(RpcCall call, long nanoTime) {
    heard("handlerStart", nanoTime, null);
  }

  @Override
  public void handlerEnd(RpcCall call, @Nullable Throwable error, long nanoTime) {
    heard("handlerEnd", nanoTime, error);
  }

  @Override
  public void replyPublished(RpcCall call, long nanoTime) {
    heard("replyPublished", nanoTime, null);
  }
}
