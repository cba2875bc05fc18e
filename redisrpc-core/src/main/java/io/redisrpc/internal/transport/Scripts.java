package io.redisrpc.internal.transport;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The Lua scripts of the protocol. Each runs atomically on the Redis clock, so liveness never
 * depends on the clocks of the machines around it.
 */
final class Scripts {
  /**
   * Appends a request to the stream only if a server instance is alive, in one round trip. KEYS:
   * stream, instances. ARGV: codec, payload, approximate stream length cap, signature (empty when
   * messages are not signed). Returns the entry id, or nil when no server is alive.
   */
  static final Script ENQUEUE =
      new Script(
          "local t = redis.call('TIME')\n"
              + "local now = t[1] * 1000 + math.floor(t[2] / 1000)\n"
              + "if redis.call('ZCOUNT', KEYS[2], now, '+inf') == 0 then return false end\n"
              + "if not ARGV[4] or ARGV[4] == '' then\n"
              + "  return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*',"
              + " 'codec', ARGV[1], 'payload', ARGV[2])\n"
              + "end\n"
              + "return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*',"
              + " 'codec', ARGV[1], 'payload', ARGV[2], 'sig', ARGV[4])\n");

  /**
   * Announces a server instance until now + ttl, drops expired ones, and makes sure the stream and
   * its consumer group exist (they vanish when Redis restarts without persistence). KEYS:
   * instances, stream, and optionally the instance's hash and the service's descriptor. ARGV:
   * instance id, ttl ms, group, descriptor JSON (empty: only extend its expiry), then field/value
   * pairs of the instance's hash. With the two optional keys it also writes the registry: the
   * descriptor (expiring 2 x ttl after the last heartbeat) and the instance's hash (plus {@code
   * heartbeat_at} and {@code expires_at}, expiring with the instance). Registry writes are
   * best-effort ({@code pcall}): liveness never depends on them. Returns {Redis' time in ms, 0 when
   * the descriptor is missing and should be sent again, else 1}.
   */
  static final Script HEARTBEAT =
      new Script(
          "local t = redis.call('TIME')\n"
              + "local now = t[1] * 1000 + math.floor(t[2] / 1000)\n"
              + "local ttl = tonumber(ARGV[2])\n"
              + "redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])\n"
              + "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)\n"
              + "redis.call('PEXPIRE', KEYS[1], ttl * 2)\n"
              + "pcall(redis.call, 'XGROUP', 'CREATE', KEYS[2], ARGV[3], '0', 'MKSTREAM')\n"
              + "local described = 1\n"
              + "if KEYS[4] then\n"
              + "  if ARGV[4] and ARGV[4] ~= '' then\n"
              + "    pcall(redis.call, 'SET', KEYS[4], ARGV[4], 'PX', ttl * 2)\n"
              + "  else\n"
              + "    local ok, n = pcall(redis.call, 'PEXPIRE', KEYS[4], ttl * 2)\n"
              + "    if ok and n == 0 then described = 0 end\n"
              + "  end\n"
              + "  if #ARGV >= 6 then\n"
              + "    pcall(redis.call, 'HSET', KEYS[3], 'heartbeat_at', now, 'expires_at', now + ttl,"
              + " unpack(ARGV, 5))\n"
              + "    pcall(redis.call, 'PEXPIRE', KEYS[3], ttl)\n"
              + "  end\n"
              + "end\n"
              + "return {now, described}\n");

  /**
   * The state of a service's request queue, read on the Redis clock. KEYS: stream. ARGV: group.
   * Returns {Redis' time in ms, entries in the stream, entries waiting to be delivered, entries
   * delivered and not finished (running), age in ms of the oldest waiting entry or -1, age in ms of
   * the oldest running entry or -1}. Waiting is the group's lag when Redis knows it (7.0+, no
   * deletions in the way), else entries minus running: servers delete finished entries.
   */
  static final Script QUEUE_STATS =
      new Script(
          "local t = redis.call('TIME')\n"
              + "local now = t[1] * 1000 + math.floor(t[2] / 1000)\n"
              + "if redis.call('EXISTS', KEYS[1]) == 0 then return {now, 0, 0, 0, -1, -1} end\n"
              + "local length = redis.call('XLEN', KEYS[1])\n"
              + "local running, last, lag = 0, '0-0', false\n"
              + "local ok, groups = pcall(redis.call, 'XINFO', 'GROUPS', KEYS[1])\n"
              + "if ok then\n"
              + "  for _, g in ipairs(groups) do\n"
              + "    local f = {}\n"
              + "    for i = 1, #g, 2 do f[g[i]] = g[i + 1] end\n"
              + "    if f['name'] == ARGV[1] then\n"
              + "      running = f['pending']\n"
              + "      last = f['last-delivered-id']\n"
              + "      lag = f['lag']\n"
              + "    end\n"
              + "  end\n"
              + "end\n"
              + "local waiting = length - running\n"
              + "if type(lag) == 'number' then waiting = lag end\n"
              + "if waiting < 0 then waiting = 0 end\n"
              + "local function age(id)\n"
              + "  local a = now - tonumber(string.match(id, '^(%d+)'))\n"
              + "  if a < 0 then return 0 end\n"
              + "  return a\n"
              + "end\n"
              + "local oldestWaiting = -1\n"
              + "local first = redis.call('XRANGE', KEYS[1], '(' .. last, '+', 'COUNT', 1)\n"
              + "if first[1] then oldestWaiting = age(first[1][1]) end\n"
              + "local oldestRunning = -1\n"
              + "if running > 0 then\n"
              + "  local p = redis.call('XPENDING', KEYS[1], ARGV[1])\n"
              + "  if p[2] then oldestRunning = age(p[2]) end\n"
              + "end\n"
              + "return {now, length, waiting, running, oldestWaiting, oldestRunning}\n");

  /** Acknowledges and deletes finished requests. KEYS: stream. ARGV: group, ids... */
  static final Script ACK_DELETE =
      new Script(
          "redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 2))\n"
              + "return redis.call('XDEL', KEYS[1], unpack(ARGV, 2))\n");

  /**
   * Claims requests another consumer took but did not finish within the visibility timeout (its
   * server died), and returns each with its delivery count. KEYS: stream. ARGV: group, consumer,
   * min idle ms, count. Returns a list of {id, deliveries, {field, value, ...}}; entries deleted
   * meanwhile are acknowledged and left out.
   */
  static final Script RECLAIM =
      new Script(
          "local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], '0-0',"
              + " 'COUNT', ARGV[4])\n"
              + "local out = {}\n"
              + "for _, e in ipairs(r[2]) do\n"
              + "  if e[2] then\n"
              + "    local p = redis.call('XPENDING', KEYS[1], ARGV[1], e[1], e[1], 1)\n"
              + "    local n = 1\n"
              + "    if p[1] then n = p[1][4] end\n"
              + "    table.insert(out, {e[1], n, e[2]})\n"
              + "  else\n"
              + "    redis.call('XACK', KEYS[1], ARGV[1], e[1])\n"
              + "  end\n"
              + "end\n"
              + "return out\n");

  /**
   * Moves a request to the dead-letter stream with the reason, then acknowledges and deletes it.
   * KEYS: stream, dead-letter stream. ARGV: group, id, codec, payload, deliveries, error.
   */
  static final Script DEAD_LETTER =
      new Script(
          "redis.call('XADD', KEYS[2], 'MAXLEN', '~', 10000, '*', 'id', ARGV[2], 'codec', ARGV[3],"
              + " 'payload', ARGV[4], 'deliveries', ARGV[5], 'error', ARGV[6])\n"
              + "redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])\n"
              + "return redis.call('XDEL', KEYS[1], ARGV[2])\n");

  private Scripts() {}

  /** A script run by digest, loaded again when Redis forgot it (after a restart). */
  static final class Script {
    final String source;
    final String sha;

    Script(String source) {
      this.source = source;
      this.sha = sha1(source);
    }

    <T> CompletionStage<T> run(
        RedisAsyncCommands<String, byte[]> redis,
        ScriptOutputType type,
        String[] keys,
        byte[]... args) {
      CompletableFuture<T> result = new CompletableFuture<>();
      redis
          .<T>evalsha(sha, type, keys, args)
          .whenComplete(
              (value, error) -> {
                if (error instanceof RedisNoScriptException
                    || (error != null
                        && String.valueOf(error.getMessage()).startsWith("NOSCRIPT"))) {
                  redis
                      .<T>eval(source, type, keys, args)
                      .whenComplete(
                          (v, e) -> {
                            if (e != null) {
                              result.completeExceptionally(e);
                            } else {
                              result.complete(v);
                            }
                          });
                } else if (error != null) {
                  result.completeExceptionally(error);
                } else {
                  result.complete(value);
                }
              });
      return result;
    }

    private static String sha1(String source) {
      try {
        byte[] digest =
            MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-1 is required of every JVM", e);
      }
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
