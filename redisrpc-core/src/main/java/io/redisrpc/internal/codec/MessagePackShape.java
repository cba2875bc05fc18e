package io.redisrpc.internal.codec;

/**
 * Checks that bytes are exactly one well-formed MessagePack value before a parser sees them. A
 * parser allocates what a length header announces, so a stranger's four bytes could otherwise ask
 * for gigabytes; here every length must fit in the bytes that are actually there.
 */
public final class MessagePackShape {
  private MessagePackShape() {}

  /** Whether {@code data} holds one complete MessagePack value and nothing after it. */
  public static boolean isWellFormed(byte[] data) {
    int pos = 0;
    long pending = 1;
    while (pending > 0) {
      if (pos >= data.length) {
        return false;
      }
      int b = data[pos++] & 0xff;
      pending--;
      long skip;
      long items = 0;
      if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
        skip = 0;
      } else if (b <= 0x8f) {
        items = 2L * (b & 0x0f);
        skip = 0;
      } else if (b <= 0x9f) {
        items = b & 0x0f;
        skip = 0;
      } else if (b <= 0xbf) {
        skip = b & 0x1f;
      } else {
        switch (b) {
          case 0xc4:
          case 0xd9:
            skip = length(data, pos, 1);
            pos += 1;
            break;
          case 0xc5:
          case 0xda:
            skip = length(data, pos, 2);
            pos += 2;
            break;
          case 0xc6:
          case 0xdb:
            skip = length(data, pos, 4);
            pos += 4;
            break;
          case 0xc7:
            skip = length(data, pos, 1) + 1;
            pos += 1;
            break;
          case 0xc8:
            skip = length(data, pos, 2) + 1;
            pos += 2;
            break;
          case 0xc9:
            skip = length(data, pos, 4) + 1;
            pos += 4;
            break;
          case 0xca:
          case 0xce:
          case 0xd2:
            skip = 4;
            break;
          case 0xcb:
          case 0xcf:
          case 0xd3:
            skip = 8;
            break;
          case 0xcc:
          case 0xd0:
            skip = 1;
            break;
          case 0xcd:
          case 0xd1:
            skip = 2;
            break;
          case 0xd4:
            skip = 2;
            break;
          case 0xd5:
            skip = 3;
            break;
          case 0xd6:
            skip = 5;
            break;
          case 0xd7:
            skip = 9;
            break;
          case 0xd8:
            skip = 17;
            break;
          case 0xdc:
            items = length(data, pos, 2);
            skip = 0;
            pos += 2;
            break;
          case 0xdd:
            items = length(data, pos, 4);
            skip = 0;
            pos += 4;
            break;
          case 0xde:
            items = 2 * length(data, pos, 2);
            skip = 0;
            pos += 2;
            break;
          case 0xdf:
            items = 2 * length(data, pos, 4);
            skip = 0;
            pos += 4;
            break;
          default:
            return false; // 0xc1 is never used
        }
      }
      if (skip < 0 || items < 0 || pos > data.length || skip > data.length - pos) {
        return false;
      }
      pos += (int) skip;
      pending += items;
      // Every value takes at least one byte: more announced items than bytes cannot be real.
      if (pending > data.length - pos) {
        return false;
      }
    }
    return pos == data.length;
  }

  /** The big-endian unsigned length of {@code size} bytes at {@code pos}, or -1 past the end. */
  private static long length(byte[] data, int pos, int size) {
    if (pos + size > data.length) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < size; i++) {
      value = (value << 8) | (data[pos + i] & 0xff);
    }
    return value;
  }
}
