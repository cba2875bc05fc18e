package io.redisrpc.internal.transport;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * One Lua script of the protocol, run by its SHA-1 digest and loaded again when Redis forgot it
 * (after a restart). Sources live next to this class in {@code lua/<name>.lua}, the text that
 * docs/PROTOCOL.md quotes verbatim.
 */
final class Script {
  final String name;
  final String source;
  final String sha;

  private Script(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha = sha1(source);
  }

  /** The script in resource {@code lua/<name>.lua}. */
  static Script load(String name) {
    String path = "lua/" + name + ".lua";
    try (InputStream in = Script.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing script resource " + path);
      }
      return new Script(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs the script; on {@code NOSCRIPT} sends its source once. */
  <T> CompletableFuture<T> run(
      RedisClusterAsyncCommands<String, byte[]> redis,
      ScriptOutputType type,
      String[] keys,
      byte[]... args) {
    CompletableFuture<T> result = new CompletableFuture<>();
    redis
        .<T>evalsha(sha, type, keys, args)
        .whenComplete(
            (value, error) -> {
              if (error == null) {
                result.complete(value);
              } else if (isNoScript(error)) {
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
              } else {
                result.completeExceptionally(error);
              }
            });
    return result;
  }

  private static boolean isNoScript(Throwable error) {
    return error instanceof RedisNoScriptException
        || String.valueOf(error.getMessage()).startsWith("NOSCRIPT");
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

  @Override
  public String toString() {
    return name + " (" + sha + ")";
  }
}
