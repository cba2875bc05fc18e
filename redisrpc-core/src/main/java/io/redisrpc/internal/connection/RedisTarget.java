package io.redisrpc.internal.connection;

import io.lettuce.core.RedisURI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a redisrpc URI names: one Redis node ({@code redis://}, {@code rediss://}), a primary found
 * through Sentinel ({@code redis-sentinel://}, {@code rediss-sentinel://}, Lettuce's syntax), or a
 * Redis Cluster given by seed nodes ({@code redis-cluster://host:port[,host:port...]}, {@code
 * rediss-cluster://} for TLS).
 *
 * @param kind what the URI names
 * @param uris one URI for a node or a Sentinel set, one per seed node for a cluster
 * @param text the URI as given, without its password, for messages
 * @param source the URI as given, password included, to parse again into URIs of one's own
 */
public record RedisTarget(Kind kind, List<RedisURI> uris, String text, String source) {
  /** What a URI names. */
  public enum Kind {
    NODE,
    SENTINEL,
    CLUSTER
  }

  public RedisTarget {
    uris = List.copyOf(uris);
  }

  /** Fresh copies of {@link #uris()}, which the caller may change. */
  public List<RedisURI> freshUris() {
    return parse(source).uris();
  }

  @Override
  public String toString() {
    return "RedisTarget[" + kind + ", " + text + "]";
  }

  /**
   * Parses {@code uri}.
   *
   * @throws IllegalArgumentException naming the problem when {@code uri} is not one of the forms
   */
  public static RedisTarget parse(String uri) {
    int colon = uri.indexOf("://");
    if (colon <= 0) {
      throw invalid(uri, "expected redis://, rediss://, redis-sentinel:// or redis-cluster://");
    }
    String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "redis":
      case "rediss":
        return new RedisTarget(Kind.NODE, List.of(lettuce(uri)), redact(uri), uri);
      case "redis-sentinel":
      case "rediss-sentinel":
        int hash = uri.lastIndexOf('#');
        if (hash < 0 || hash == uri.length() - 1) {
          throw invalid(uri, "a Sentinel URI names its primary after '#', as in #mymaster");
        }
        return new RedisTarget(Kind.SENTINEL, List.of(lettuce(uri)), redact(uri), uri);
      case "redis-cluster":
      case "rediss-cluster":
        return cluster(uri, scheme.startsWith("rediss") ? "rediss" : "redis", colon + 3);
      default:
        throw invalid(
            uri,
            "unknown scheme '"
                + scheme
                + "': expected redis://, rediss://, redis-sentinel:// or redis-cluster://");
    }
  }

  /** Whether commands must be routed by hash slot and channels be sharded. */
  public boolean isCluster() {
    return kind == Kind.CLUSTER;
  }

  /** Whether connections use TLS. */
  public boolean isTls() {
    return uris.get(0).isSsl();
  }

  private static RedisTarget cluster(String uri, String nodeScheme, int start) {
    String rest = uri.substring(start);
    int at = rest.lastIndexOf('@');
    String userInfo = at < 0 ? "" : rest.substring(0, at + 1);
    String afterUser = rest.substring(at + 1);
    int end = afterUser.length();
    for (char c : new char[] {'/', '?'}) {
      int i = afterUser.indexOf(c);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    String hosts = afterUser.substring(0, end);
    String suffix = afterUser.substring(end);
    if (suffix.startsWith("/")) {
      String db = suffix.substring(1).split("\\?", 2)[0];
      if (!db.isEmpty() && !db.equals("0")) {
        throw invalid(uri, "a Redis Cluster has only database 0");
      }
    }
    if (hosts.isEmpty()) {
      throw invalid(uri, "no seed node: use redis-cluster://host:port[,host:port...]");
    }
    List<RedisURI> seeds = new ArrayList<>();
    for (String host : hosts.split(",")) {
      if (host.isBlank()) {
        throw invalid(uri, "an empty seed node between commas");
      }
      seeds.add(lettuce(nodeScheme + "://" + userInfo + host.strip() + suffix));
    }
    return new RedisTarget(Kind.CLUSTER, seeds, redact(uri), uri);
  }

  private static RedisURI lettuce(String uri) {
    try {
      return RedisURI.create(uri);
    } catch (RuntimeException e) {
      throw invalid(uri, String.valueOf(e.getMessage()));
    }
  }

  private static IllegalArgumentException invalid(String uri, String why) {
    return new IllegalArgumentException("Invalid Redis URI '" + redact(uri) + "': " + why);
  }

  /** {@code uri} with the password, if any, replaced by {@code ***}. */
  static String redact(String uri) {
    int scheme = uri.indexOf("://");
    int at = uri.lastIndexOf('@');
    if (scheme < 0 || at < scheme) {
      return uri;
    }
    String userInfo = uri.substring(scheme + 3, at);
    int colon = userInfo.indexOf(':');
    String user = colon < 0 ? "" : userInfo.substring(0, colon);
    return uri.substring(0, scheme + 3) + user + ":***" + uri.substring(at);
  }
}
