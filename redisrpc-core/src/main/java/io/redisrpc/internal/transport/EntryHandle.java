package io.redisrpc.internal.transport;

/**
 * How a server names a request it took: the stream entry id for a service of one partition, and
 * {@code <entry id>@<partition>} for a partitioned one, whose streams may hold equal ids. The
 * millisecond part stays in front, so that the handle parses as the entry id does.
 */
final class EntryHandle {
  private EntryHandle() {}

  static String of(String entryId, int partition, boolean partitioned) {
    return partitioned ? entryId + "@" + partition : entryId;
  }

  /** The partition of {@code handle}; 0 for a handle without one. */
  static int partition(String handle) {
    int at = handle.lastIndexOf('@');
    return at < 0 ? 0 : Integer.parseInt(handle.substring(at + 1));
  }

  /** Whether {@code handle} names a broadcast call rather than a stream entry. */
  static boolean isBroadcast(String handle) {
    return !handle.isEmpty() && !Character.isDigit(handle.charAt(0));
  }

  /** The stream entry id of {@code handle}. */
  static String entryId(String handle) {
    int at = handle.lastIndexOf('@');
    return at < 0 ? handle : handle.substring(0, at);
  }
}
