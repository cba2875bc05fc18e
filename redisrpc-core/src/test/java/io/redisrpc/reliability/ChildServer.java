package io.redisrpc.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link ServerMain} child JVM whose stdout lines the test can wait for. */
final class ChildServer implements AutoCloseable {
  private final Process process;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Starts a child and waits, at most 30 s, until it serves. */
  ChildServer(String redisUri, long workMillis) throws IOException, InterruptedException {
    this(ServerMain.class, redisUri, Long.toString(workMillis), true);
  }

  /** Starts a child without waiting for it: its {@code READY} line is left for the caller. */
  static ChildServer launch(String redisUri, long workMillis)
      throws IOException, InterruptedException {
    return new ChildServer(ServerMain.class, redisUri, Long.toString(workMillis), false);
  }

  /**
   * Starts a child running {@code main} (given the Redis URI and {@code argument}) and waits, at
   * most 30 s, until it prints {@code READY}.
   */
  static ChildServer start(Class<?> main, String redisUri, String argument)
      throws IOException, InterruptedException {
    return new ChildServer(main, redisUri, argument, true);
  }

  private ChildServer(Class<?> main, String redisUri, String argument, boolean awaitReady)
      throws IOException, InterruptedException {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    process =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    // A child lives a second or two: C1 alone and the serial collector start it
                    // in about half the time, which the crash tests, starting dozens, add up.
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    main.getName(),
                    redisUri,
                    argument))
            .redirectErrorStream(true)
            .start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException ignored) {
                // the process died: that is what these tests do to it
              }
            });
    reader.setDaemon(true);
    reader.start();
    if (awaitReady) {
      awaitLine("READY", 30);
    }
  }

  /** Waits, at most {@code seconds}, for a line starting with {@code prefix}. */
  String awaitLine(String prefix, long seconds) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      long left = end - System.nanoTime();
      String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new AssertionError(
            "child server printed no '"
                + prefix
                + "' line in "
                + seconds
                + " s; alive="
                + process.isAlive()
                + ", its output: "
                + String.join("\n", seen));
      }
      seen.add(line);
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  /** SIGKILL: no shutdown hook, no goodbye to Redis. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
