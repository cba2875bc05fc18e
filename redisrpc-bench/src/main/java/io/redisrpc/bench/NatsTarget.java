package io.redisrpc.bench;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * NATS request-reply with jnats: a responder connection whose dispatcher publishes each request's
 * data back to its reply subject, and a caller connection using {@code request}.
 */
final class NatsTarget implements Target, AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Connection responder;
  private final Connection caller;
  private final String subject = "bench.echo." + UUID.randomUUID().toString().replace("-", "");

  private NatsTarget(Connection responder, Connection caller) {
    this.responder = responder;
    this.caller = caller;
  }

  /**
   * Connects to the nats-server at {@code url}.
   *
   * @throws IOException when no nats-server answers there
   */
  static NatsTarget connect(String url) throws IOException, InterruptedException {
    Options options =
        new Options.Builder()
            .server(url)
            .connectionTimeout(Duration.ofSeconds(2))
            .noReconnect()
            .errorListener(new io.nats.client.ErrorListener() {})
            .build();
    Connection responder = Nats.connect(options);
    Connection caller;
    try {
      caller = Nats.connect(options);
    } catch (IOException | RuntimeException e) {
      responder.close();
      throw e;
    }
    NatsTarget target = new NatsTarget(responder, caller);
    try {
      Dispatcher dispatcher =
          responder.createDispatcher(
              (Message message) -> responder.publish(message.getReplyTo(), message.getData()));
      dispatcher.subscribe(target.subject);
      responder.flush(Duration.ofSeconds(5));
    } catch (Exception e) {
      target.close();
      throw new IOException("NATS responder could not subscribe: " + e.getMessage(), e);
    }
    return target;
  }

  @Override
  public String id() {
    return "nats";
  }

  @Override
  public String system() {
    return "nats";
  }

  @Override
  public String codec() {
    return "raw";
  }

  @Override
  public String workload() {
    return "default";
  }

  @Override
  public CompletableFuture<byte[]> call(byte[] payload) {
    return caller.requestWithTimeout(subject, payload, TIMEOUT).thenApply(Message::getData);
  }

  @Override
  public void close() {
    try {
      caller.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      responder.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
