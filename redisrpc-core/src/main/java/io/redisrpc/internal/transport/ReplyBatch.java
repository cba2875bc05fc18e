package io.redisrpc.internal.transport;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Several replies to one client in one message (protocol version 3): a zero byte, then each reply
 * as a 4-byte big-endian length and the reply's bytes, as it would have been published alone. No
 * reply of either codec starts with a zero byte (a JSON reply starts with '{', a MessagePack one
 * with a map header), so a client tells a batch from a single reply by its first byte.
 */
final class ReplyBatch {
  private static final byte MARKER = 0;

  private ReplyBatch() {}

  /** The message carrying {@code replies}. */
  static byte[] encode(List<byte[]> replies) {
    int size = 1;
    for (byte[] r : replies) {
      size += 4 + r.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(MARKER);
    for (byte[] r : replies) {
      out.putInt(r.length).put(r);
    }
    return out.array();
  }

  /** Whether {@code message} is a batch. */
  static boolean isBatch(byte[] message) {
    return message.length > 0 && message[0] == MARKER;
  }

  /**
   * Hands each reply of batch {@code message} to {@code each}; returns false, having handed none,
   * when the batch is malformed (a length past its end).
   */
  static boolean forEach(byte[] message, Consumer<byte[]> each) {
    List<byte[]> replies = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(message, 1, message.length - 1);
    while (in.hasRemaining()) {
      if (in.remaining() < 4) {
        return false;
      }
      int length = in.getInt();
      if (length < 0 || length > in.remaining()) {
        return false;
      }
      byte[] reply = new byte[length];
      in.get(reply);
      replies.add(reply);
    }
    replies.forEach(each);
    return true;
  }
}
