package io.redisrpc.internal.aioredis;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Version 1 (time-based) UUIDs as Python's {@code uuid1().hex}, which aioredis-rpc uses for message
 * ids and client ids. The node is random with the multicast bit set (RFC 4122, 4.5), and the
 * timestamp never repeats within this JVM, so ids are unique without a MAC address.
 */
final class Uuid1 {
  /** 100-ns intervals between 1582-10-15 (the UUID epoch) and 1970-01-01. */
  private static final long UUID_EPOCH_OFFSET = 0x01B21DD213814000L;

  private static final AtomicLong LAST = new AtomicLong();
  private static final long CLOCK_SEQ_AND_NODE = clockSeqAndNode();

  private Uuid1() {}

  private static long clockSeqAndNode() {
    SecureRandom random = new SecureRandom();
    long clockSeq = random.nextInt(1 << 14);
    long node = (random.nextLong() & 0xFFFF_FFFF_FFFFL) | 0x0100_0000_0000L;
    return 0x8000_0000_0000_0000L | (clockSeq << 48) | node;
  }

  /** A new version 1 UUID. */
  static UUID next() {
    long now = System.currentTimeMillis() * 10_000 + UUID_EPOCH_OFFSET;
    long timestamp = LAST.accumulateAndGet(now, (last, candidate) -> Math.max(last + 1, candidate));
    long timeLow = timestamp & 0xFFFF_FFFFL;
    long timeMid = (timestamp >>> 32) & 0xFFFFL;
    long timeHigh = (timestamp >>> 48) & 0x0FFFL;
    long msb = (timeLow << 32) | (timeMid << 16) | 0x1000L | timeHigh;
    return new UUID(msb, CLOCK_SEQ_AND_NODE);
  }

  /** A new version 1 UUID as 32 lowercase hex digits, as Python's {@code uuid1().hex}. */
  static String hex() {
    return next().toString().replace("-", "");
  }
}
