package io.redisrpc.internal.transport;

import io.redisrpc.internal.connection.RedisLink;
import io.redisrpc.internal.connection.Subscriber;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a server instance hears on its service's channels: cancellations of calls and credit grants
 * of streams ({@code rpc:{S}:cancel}), handed to the dispatcher, instance pings ({@code
 * rpc:{S}:ping}), answered on the caller's reply channel, and broadcast calls ({@code
 * rpc:{S}:broadcast}), handed on.
 */
final class ServiceNotices {
  private static final Logger log = LoggerFactory.getLogger(ServiceNotices.class);

  /** The first word of a credit grant, and its space. */
  static final String CREDIT = "credit ";

  private final RedisKeys service;
  private final List<RedisKeys> partitions;
  private final @Nullable MessageSigner signer;
  private final BiConsumer<String, String> onCancel;
  private final Credits onCredit;
  private final Function<String, byte[]> answer;
  private final Subscriber cancels = this::onCancelMessage;
  private final Subscriber pings = this::onPingMessage;
  private final Subscriber broadcasts;
  private volatile @Nullable RedisLink link;

  /**
   * Notices of the service of {@code partitions}; {@code onCancel} gets the reply address and id of
   * each cancelled call, {@code pingAnswer} makes the body of a ping's answer ({@link
   * InstancePing#reply}) but for the ping's id, {@code onCredit} each credit grant of a stream,
   * {@code onBroadcast} each broadcast message.
   */
  ServiceNotices(
      List<RedisKeys> partitions,
      @Nullable MessageSigner signer,
      BiConsumer<String, String> onCancel,
      Credits onCredit,
      Function<String, byte[]> pingAnswer,
      Subscriber onBroadcast) {
    this.service = partitions.get(0);
    this.broadcasts = onBroadcast;
    this.partitions = partitions;
    this.signer = signer;
    this.onCancel = onCancel;
    this.onCredit = onCredit;
    this.answer = pingAnswer;
  }

  /** Receives the credit grants of streams (docs/PROTOCOL.md, section 21). */
  @FunctionalInterface
  interface Credits {
    /** The caller of stream {@code id} of {@code replyTo} grants {@code total} items in all. */
    void grant(String replyTo, String id, long total);
  }

  /** Subscribes to the cancel channel (completes when confirmed) and the ping channel. */
  CompletableFuture<Void> subscribeCancellations(RedisLink link) {
    this.link = link;
    return link.subscriptions().subscribe(service.cancellations(), cancels);
  }

  /** Subscribes to the ping channel; completes when confirmed. */
  CompletableFuture<Void> subscribePings(RedisLink link) {
    this.link = link;
    return link.subscriptions().subscribe(service.pings(), pings);
  }

  /**
   * Subscribes to the broadcast channel; completes when confirmed. Not with a shared secret:
   * broadcast calls are not signed (docs/PROTOCOL.md, section 20).
   */
  CompletableFuture<Void> subscribeBroadcasts(RedisLink link) {
    this.link = link;
    if (signer != null) {
      return CompletableFuture.completedFuture(null);
    }
    return link.subscriptions().subscribe(service.broadcasts(), broadcasts);
  }

  /** Leaves every channel. */
  void unsubscribe() {
    RedisLink l = link;
    if (l != null) {
      l.subscriptions().unsubscribe(service.cancellations(), cancels);
      l.subscriptions().unsubscribe(service.pings(), pings);
      if (signer == null) {
        l.subscriptions().unsubscribe(service.broadcasts(), broadcasts);
      }
    }
  }

  /** Whether servers of this service ever publish on {@code channel}: a reply channel of it. */
  boolean isReplyChannel(String channel) {
    for (RedisKeys keys : partitions) {
      if (keys.isReplyChannel(channel)) {
        return true;
      }
    }
    return false;
  }

  private void onCancelMessage(byte[] signedMessage) {
    byte[] message = MessageSigner.unframe(signer, service.cancellations(), signedMessage);
    if (message == null) {
      log.debug("Ignored an unsigned cancellation on {}", service.cancellations());
      return;
    }
    String text = new String(message, StandardCharsets.UTF_8);
    if (text.startsWith(CREDIT)) {
      onCreditMessage(text);
      return;
    }
    int space = text.indexOf(' ');
    if (space <= 0 || space == text.length() - 1 || !isReplyChannel(text.substring(0, space))) {
      log.debug("Ignored a malformed cancellation on {}", service.cancellations());
      return;
    }
    onCancel.accept(text.substring(0, space), text.substring(space + 1));
  }

  /**
   * {@code credit <total> <reply_to> <id>}: its first word is no reply channel, so that servers
   * that know no streams ignore it as a malformed cancellation.
   */
  private void onCreditMessage(String text) {
    int first = text.indexOf(' ', CREDIT.length());
    int second = first < 0 ? -1 : text.indexOf(' ', first + 1);
    long total = -1;
    if (second > first + 1 && second < text.length() - 1) {
      try {
        total = Long.parseLong(text.substring(CREDIT.length(), first));
      } catch (NumberFormatException e) {
        total = -1;
      }
    }
    if (total <= 0 || !isReplyChannel(text.substring(first + 1, second))) {
      log.debug("Ignored a malformed credit grant on {}", service.cancellations());
      return;
    }
    onCredit.grant(text.substring(first + 1, second), text.substring(second + 1), total);
  }

  private void onPingMessage(byte[] signedMessage) {
    byte[] message = MessageSigner.unframe(signer, service.pings(), signedMessage);
    InstancePing.Request ping = message == null ? null : InstancePing.parse(message);
    RedisLink l = link;
    if (ping == null || !isReplyChannel(ping.replyTo()) || l == null) {
      log.debug("Ignored a malformed or unsigned ping on {}", service.pings());
      return;
    }
    byte[] reply = answer.apply(ping.id());
    l.publish(ping.replyTo(), MessageSigner.frame(signer, ping.replyTo(), reply))
        .whenComplete(
            (receivers, error) -> {
              if (error != null) {
                log.debug(
                    "Answer to a ping of {} failed: {}", service.service(), error.getMessage());
              }
            });
  }
}
