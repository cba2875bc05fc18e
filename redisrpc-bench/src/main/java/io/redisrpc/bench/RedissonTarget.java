package io.redisrpc.bench;

import io.lettuce.core.RedisURI;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.RFuture;
import org.redisson.api.RRemoteService;
import org.redisson.api.RedissonClient;
import org.redisson.api.RemoteInvocationOptions;
import org.redisson.api.annotation.RRemoteAsync;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;

/**
 * Redisson RemoteService: a server side and a client side, each with its own {@link RedissonClient}
 * on the benchmark's Redis, default options, the async client interface, and as many server workers
 * as callers in flight.
 */
final class RedissonTarget implements Target, AutoCloseable {
  private static final String SERVICE = "redisrpc-bench-echo";

  /** The remote interface. */
  public interface RedissonEcho {
    /** Returns {@code payload}. */
    byte[] echo(byte[] payload);
  }

  /** Its async client form. */
  @RRemoteAsync(RedissonEcho.class)
  public interface RedissonEchoAsync {
    /** Returns {@code payload}. */
    RFuture<byte[]> echo(byte[] payload);
  }

  private final RedissonClient serverSide;
  private final RedissonClient clientSide;
  private final RRemoteService serverService;
  private final RedissonEchoAsync proxy;
  private final String codecName;

  RedissonTarget(String redisUri) {
    Config config = config(redisUri);
    this.serverSide = Redisson.create(config);
    try {
      this.clientSide = Redisson.create(config(redisUri));
    } catch (RuntimeException e) {
      serverSide.shutdown();
      throw e;
    }
    this.serverService = serverSide.getRemoteService(SERVICE);
    // Redisson's defaults are a 1 s acknowledgement timeout and a 30 s result timeout; the first
    // is raised so that a busy 2-core machine measures slowness rather than failures.
    this.proxy =
        clientSide
            .getRemoteService(SERVICE)
            .get(
                RedissonEchoAsync.class,
                RemoteInvocationOptions.defaults()
                    .expectAckWithin(10, TimeUnit.SECONDS)
                    .expectResultWithin(30, TimeUnit.SECONDS));
    String simple = clientSide.getConfig().getCodec().getClass().getSimpleName();
    this.codecName = simple.replaceFirst("Codec$", "").toLowerCase(Locale.ROOT);
  }

  private static Config config(String redisUri) {
    RedisURI uri = RedisURI.create(redisUri);
    Config config = new Config();
    SingleServerConfig server =
        config
            .useSingleServer()
            .setAddress(
                (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort())
            .setDatabase(uri.getDatabase());
    // redis://[user:]password@host: the same credentials as the other systems.
    String userInfo = java.net.URI.create(redisUri).getRawUserInfo();
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      String user = colon < 0 ? null : decode(userInfo.substring(0, colon));
      String password = decode(colon < 0 ? userInfo : userInfo.substring(colon + 1));
      if (user != null && !user.isEmpty()) {
        server.setUsername(user);
      }
      server.setPassword(password);
    }
    return config;
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(
        s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public String id() {
    return "redisson";
  }

  @Override
  public String system() {
    return "redisson";
  }

  @Override
  public String codec() {
    return codecName;
  }

  @Override
  public String workload() {
    return "default";
  }

  @Override
  public void beforeWorkload(int inFlight) {
    serverService.register(RedissonEcho.class, payload -> payload, Math.max(1, inFlight));
  }

  @Override
  public void afterWorkload() {
    serverService.deregister(RedissonEcho.class);
  }

  @Override
  public CompletableFuture<byte[]> call(byte[] payload) {
    return proxy.echo(payload).toCompletableFuture();
  }

  @Override
  public void close() {
    clientSide.shutdown();
    serverSide.shutdown();
  }
}
