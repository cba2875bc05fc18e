package io.redisrpc.topology;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.redisrpc.testing.RedisProcess;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What one Redis node says it ran: INFO commandstats, by lower-case command name. */
final class CommandStats {
  private static final Pattern LINE = Pattern.compile("cmdstat_([a-z|]+):calls=(\\d+)");

  private CommandStats() {}

  static Map<String, Long> of(RedisProcess node) {
    RedisClient client = RedisClient.create(node.uri());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      Map<String, Long> calls = new HashMap<>();
      Matcher m = LINE.matcher(c.sync().info("commandstats"));
      while (m.find()) {
        calls.put(m.group(1), Long.parseLong(m.group(2)));
      }
      return calls;
    } finally {
      client.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  static long calls(RedisProcess node, String command) {
    return of(node).getOrDefault(command, 0L);
  }

  static void reset(RedisProcess node) {
    RedisClient client = RedisClient.create(node.uri());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      c.sync().configResetstat();
    } finally {
      client.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }
}
