package io.redisrpc.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy in front of a Redis, for tests of what a client does when the network fails: it
 * forwards every connection to its target until told to break them.
 *
 * <ul>
 *   <li>{@link #dropConnections()} closes every connection open now, as a network failure or a
 *       restarted proxy would; clients reconnect through the proxy as usual.
 *   <li>{@link #refuseConnections(boolean)} makes it close new connections at once, as an
 *       unreachable Redis would, until allowed again.
 *   <li>{@link #freeze(boolean)} stops it forwarding anything while connections stay open, as a
 *       network partition or a hung Redis would: commands get no answer, nobody notices a break.
 *   <li>{@link #loseReplyTo(String)} lets the next request whose bytes contain a given text reach
 *       Redis, and then closes that client's connection before Redis' answer can reach it: the
 *       command ran, and the client cannot know.
 * </ul>
 *
 * <pre>{@code
 * try (RedisProcess redis = RedisProcess.start(); RedisProxy proxy = RedisProxy.to(redis)) {
 *   connectTo(proxy.uri());
 *   proxy.loseReplyTo("EVALSHA");
 * }
 * }</pre>
 *
 * <p>Instances are thread-safe. Each connection uses two daemon threads.
 */
public final class RedisProxy implements AutoCloseable {
  private final String targetHost;
  private final int targetPort;
  private final ServerSocket listener;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicReference<byte @Nullable []> loseReplyTo = new AtomicReference<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger lostReplies = new AtomicInteger();
  private volatile boolean closed;
  private volatile boolean refusing;
  private final Object frozenLock = new Object();
  private boolean frozen;

  private RedisProxy(String targetHost, int targetPort) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    try {
      this.listener = new ServerSocket();
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot listen on a free port of 127.0.0.1", e);
    }
    Thread acceptor = new Thread(this::acceptLoop, "redis-proxy-accept-" + port());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A proxy on a free port of 127.0.0.1 in front of {@code redis}. */
  public static RedisProxy to(RedisProcess redis) {
    Objects.requireNonNull(redis, "redis == null");
    return to(redis.host(), redis.port());
  }

  /** A proxy on a free port of 127.0.0.1 in front of {@code host:port}. */
  public static RedisProxy to(String host, int port) {
    Objects.requireNonNull(host, "host == null");
    return new RedisProxy(host, port);
  }

  /** The port the proxy listens on. */
  public int port() {
    return listener.getLocalPort();
  }

  /** {@code redis://127.0.0.1:<port>}: the proxy's address as a Redis URI. */
  public String uri() {
    return "redis://127.0.0.1:" + port();
  }

  /** How many client connections the proxy accepted so far. */
  public int acceptedConnections() {
    return accepted.get();
  }

  /** How many connections {@link #loseReplyTo} cut so far. */
  public int lostReplies() {
    return lostReplies.get();
  }

  /** Closes every connection open now; new ones are forwarded as before. */
  public void dropConnections() {
    for (Link link : links) {
      link.close();
    }
  }

  /**
   * While {@code refuse} is true, every new connection is closed as soon as it is accepted; open
   * ones are left alone (see {@link #dropConnections()}).
   */
  public void refuseConnections(boolean refuse) {
    this.refusing = refuse;
  }

  /**
   * While {@code freeze} is true, nothing is forwarded in either direction and nothing is closed:
   * bytes wait in the proxy (and the sockets' buffers) until it thaws, and are then forwarded in
   * order.
   */
  public void freeze(boolean freeze) {
    synchronized (frozenLock) {
      frozen = freeze;
      frozenLock.notifyAll();
    }
  }

  /** Waits while frozen; true once thawed, false when the proxy closed meanwhile. */
  private boolean awaitThawed() {
    synchronized (frozenLock) {
      while (frozen && !closed) {
        try {
          frozenLock.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return !closed;
    }
  }

  /**
   * Arms a one-time fault: the next chunk a client sends that contains {@code text} (in UTF-8) is
   * forwarded to Redis, and that client's connection is closed at once, so that Redis runs the
   * command but its answer never reaches the client. Replaces a fault armed before and not yet hit.
   */
  public void loseReplyTo(String text) {
    Objects.requireNonNull(text, "text == null");
    if (text.isEmpty()) {
      throw new IllegalArgumentException("text is empty");
    }
    loseReplyTo.set(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Stops listening and closes every connection. */
  @Override
  public void close() {
    closed = true;
    freeze(false);
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    dropConnections();
  }

  @Override
  public String toString() {
    return "RedisProxy[" + uri() + " -> " + targetHost + ":" + targetPort + "]";
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      accepted.incrementAndGet();
      if (refusing) {
        closeQuietly(client);
        continue;
      }
      try {
        Socket server = new Socket(targetHost, targetPort);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        Link link = new Link(client, server);
        links.add(link);
        link.start();
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  /** One client connection and its connection to Redis. */
  private final class Link {
    private final Socket client;
    private final Socket server;
    private volatile boolean replyLost;

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void start() {
      Thread up = new Thread(this::pumpUp, "redis-proxy-up-" + client.getPort());
      Thread down = new Thread(this::pumpDown, "redis-proxy-down-" + client.getPort());
      up.setDaemon(true);
      down.setDaemon(true);
      up.start();
      down.start();
    }

    /** Client to Redis, watching for the armed fault. */
    private void pumpUp() {
      byte[] buffer = new byte[64 * 1024];
      byte[] tail = new byte[0];
      try (InputStream in = client.getInputStream();
          OutputStream out = server.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          if (!awaitThawed()) {
            return;
          }
          byte[] pattern = loseReplyTo.get();
          boolean cut = false;
          if (pattern != null && contains(tail, buffer, n, pattern)) {
            cut = loseReplyTo.compareAndSet(pattern, null);
          }
          if (cut) {
            // Nothing more reaches the client, then the command reaches Redis. The connection to
            // Redis stays open until the proxy closes, so that nothing cuts the command short.
            replyLost = true;
            lostReplies.incrementAndGet();
            closeQuietly(client);
            out.write(buffer, 0, n);
            out.flush();
            return;
          }
          out.write(buffer, 0, n);
          out.flush();
          if (pattern != null) {
            int keep = Math.min(pattern.length - 1, n);
            tail = java.util.Arrays.copyOfRange(buffer, n - keep, n);
          }
        }
      } catch (IOException ignored) {
        // one side closed
      } finally {
        if (!replyLost) {
          close();
        }
      }
    }

    /** Redis to client; once the fault hit, Redis' answers are read and dropped. */
    private void pumpDown() {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = server.getInputStream()) {
        OutputStream out = client.getOutputStream();
        int n;
        while ((n = in.read(buffer)) > 0) {
          if (!awaitThawed()) {
            return;
          }
          if (!replyLost) {
            out.write(buffer, 0, n);
            out.flush();
          }
        }
      } catch (IOException ignored) {
        // one side closed
      } finally {
        if (!replyLost) {
          close();
        }
      }
    }

    void close() {
      closeQuietly(client);
      closeQuietly(server);
      links.remove(this);
    }
  }

  private static boolean contains(byte[] tail, byte[] chunk, int length, byte[] pattern) {
    byte[] joined = new byte[tail.length + length];
    System.arraycopy(tail, 0, joined, 0, tail.length);
    System.arraycopy(chunk, 0, joined, tail.length, length);
    outer:
    for (int i = 0; i + pattern.length <= joined.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (joined[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
