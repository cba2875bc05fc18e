package io.redisrpc.aioredis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The Python aioredis-rpc stand-in (src/test/resources/aioredis_peer.py) as a child process run by
 * Debian's /usr/bin/python3 (not a pyenv shim on PATH), with its JSON event lines. Every wait is
 * bounded.
 */
final class PythonPeer implements AutoCloseable {
  /**
   * Debian's interpreter, where python3-msgpack and python3-redis install; -Dredisrpc.python
   * overrides.
   */
  static final Path PYTHON = Path.of(System.getProperty("redisrpc.python", "/usr/bin/python3"));

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
  private static String unavailable;
  private static boolean probed;

  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
  private final List<JsonNode> seen = new ArrayList<>();
  private final StringBuffer stderr = new StringBuffer();
  private volatile boolean stdoutClosed;

  private PythonPeer(Process process) {
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    daemon("peer-stdout", () -> readEvents(process.getInputStream()));
    daemon("peer-stderr", () -> readInto(process.getErrorStream(), stderr));
  }

  /** Skips the calling test, saying why, unless /usr/bin/python3 has msgpack and redis.asyncio. */
  static void assumeAvailable() {
    String why = unavailableReason();
    if (why != null) {
      System.out.println("Skipping aioredis-rpc interop tests: " + why);
    }
    Assumptions.assumeTrue(why == null, why);
  }

  private static synchronized String unavailableReason() {
    if (!probed) {
      probed = true;
      unavailable = probe();
    }
    return unavailable;
  }

  private static String probe() {
    String install = " (apt-get install -y python3-msgpack python3-redis)";
    if (!Files.isExecutable(PYTHON)) {
      return PYTHON + " is not installed" + install;
    }
    try {
      Process p =
          new ProcessBuilder(
                  PYTHON.toString(),
                  "-c",
                  "import msgpack, redis, redis.asyncio; print(msgpack.version, redis.__version__)")
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().close();
      if (!p.waitFor(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return PYTHON + " did not answer within " + PROBE_TIMEOUT;
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.exitValue() != 0) {
        return PYTHON
            + " lacks the msgpack or redis.asyncio module"
            + install
            + ": "
            + lastLine(out);
      }
      return null;
    } catch (IOException e) {
      return "cannot run " + PYTHON + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while probing " + PYTHON;
    }
  }

  private static String lastLine(String text) {
    String[] lines = text.split("\n");
    return lines[lines.length - 1];
  }

  /** Starts the peer with {@code args} (mode and its arguments). */
  static PythonPeer start(String... args) throws IOException {
    Path script = Files.createTempFile("aioredis_peer", ".py");
    script.toFile().deleteOnExit();
    try (InputStream in = PythonPeer.class.getResourceAsStream("/aioredis_peer.py")) {
      if (in == null) {
        throw new IllegalStateException("aioredis_peer.py is not on the test classpath");
      }
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-u", script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    // Python reads the seed's datetimes as naive local time: make local time UTC.
    builder.environment().put("TZ", "UTC");
    builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    return new PythonPeer(builder.start());
  }

  private static void daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  private void readEvents(InputStream in) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        try {
          events.add(JSON.readTree(line));
        } catch (IOException e) {
          stderr.append("[not JSON on stdout] ").append(line).append('\n');
        }
      }
    } catch (IOException e) {
      // the process ended
    } finally {
      stdoutClosed = true;
    }
  }

  private static void readInto(InputStream in, StringBuffer out) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        out.append(line).append('\n');
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  /**
   * The next event named {@code event}, waiting at most {@code timeout}; events before it are kept
   * in {@link #seen()}.
   */
  JsonNode await(String event, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      // Wait in slices, so that a peer that died is reported at once rather than at the timeout.
      boolean ended = stdoutClosed;
      JsonNode next =
          left <= 0 ? null : events.poll(Math.min(left, 200_000_000L), TimeUnit.NANOSECONDS);
      if (next == null && !ended && System.nanoTime() < deadline) {
        continue;
      }
      if (next == null) {
        process.waitFor(5, TimeUnit.SECONDS);
        throw new AssertionError(
            "The Python peer sent no '"
                + event
                + "' event "
                + (ended ? "before its output ended" : "within " + timeout)
                + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")")
                + "; stderr:\n"
                + stderr);
      }
      synchronized (seen) {
        seen.add(next);
      }
      if (event.equals(next.path("event").asText())) {
        return next;
      }
    }
  }

  /** Every event received through {@link #await} so far. */
  List<JsonNode> seen() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  /** The events named {@code event} among {@link #seen()}. */
  List<JsonNode> seen(String event) {
    return seen().stream().filter(e -> event.equals(e.path("event").asText())).toList();
  }

  /** Writes one line to the peer's stdin. */
  void send(String line) {
    try {
      stdin.write(line);
      stdin.write('\n');
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes the peer's stdin, which ends the server and repack modes. */
  void closeInput() {
    try {
      stdin.close();
    } catch (IOException e) {
      // already gone
    }
  }

  /** Waits at most {@code timeout} for the peer to exit; its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          "The Python peer did not exit within " + timeout + "; stderr:\n" + stderr);
    }
    return process.exitValue();
  }

  /** What the peer wrote on stderr so far. */
  String stderr() {
    return stderr.toString();
  }

  @Override
  public void close() throws InterruptedException {
    closeInput();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }
}
