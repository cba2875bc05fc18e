package io.redisrpc.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One real {@code redis-server} child process listening on {@code 127.0.0.1}, for tests.
 *
 * <p>The server listens on a free port, persists nothing ({@code --save "" --appendonly no}) and
 * uses its own temporary directory as {@code --dir}; its standard output and error go to a log file
 * in that directory (see {@link #logFile()}). Every server still running when the JVM exits is
 * killed by a shutdown hook.
 *
 * <p>Which binary is run is decided by {@link #binary()}. Typical use:
 *
 * <pre>{@code
 * try (RedisProcess redis = RedisProcess.start("--requirepass", "secret")) {
 *     connectTo(redis.uri());
 * }
 * }</pre>
 *
 * <p>Instances are thread-safe.
 */
public final class RedisProcess implements AutoCloseable {

  /** System property naming the binary to run, or {@value #EMBEDDED}. */
  static final String BINARY_PROPERTY = "redisrpc.redis-server";

  /** Environment variable naming the binary to run, or {@value #EMBEDDED}. */
  static final String BINARY_ENV = "REDISRPC_REDIS_SERVER";

  /** Value of {@link #BINARY_PROPERTY} or {@link #BINARY_ENV} that selects the bundled binary. */
  static final String EMBEDDED = "embedded";

  private static final String HOST = "127.0.0.1";
  private static final String READY_LINE = "Ready to accept connections";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_ATTEMPTS = 5;
  private static final int LOG_TAIL_LINES = 40;

  /** Child processes not yet known to have exited, killed by the shutdown hook. */
  private static final Set<Process> CHILDREN = ConcurrentHashMap.newKeySet();

  /** Temporary directories not yet deleted, deleted by the shutdown hook. */
  private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();

  private static final AtomicBoolean SHUTDOWN_HOOK = new AtomicBoolean();

  private static @Nullable Path extractedBinary;

  private final Path binary;
  private final @Nullable Path configFile;
  private final List<String> extraArgs;
  private final int port;
  private final Path directory;
  private final Path logFile;
  private volatile @Nullable Process process;
  private boolean closed;

  private RedisProcess(
      Path binary,
      @Nullable Path configFile,
      List<String> extraArgs,
      int port,
      Path directory,
      Path logFile,
      Process process) {
    this.binary = binary;
    this.configFile = configFile;
    this.extraArgs = extraArgs;
    this.port = port;
    this.directory = directory;
    this.logFile = logFile;
    this.process = process;
  }

  /**
   * Starts a {@code redis-server} on a free port of {@code 127.0.0.1} and waits until it answers.
   *
   * @return the running server
   * @throws IllegalStateException if no server could be started; the message includes the tail of
   *     the server's log
   */
  public static RedisProcess start() {
    return start(new String[0]);
  }

  /**
   * Starts a {@code redis-server} with extra command-line options and waits until it answers.
   *
   * <p>The options follow this class's own ({@code --port}, {@code --bind 127.0.0.1}, {@code --save
   * ""}, {@code --appendonly no}, {@code --dir}), so they can override them, e.g. {@code
   * start("--requirepass", "secret")} or TLS options such as {@code "--tls-port", ...}. Only
   * options are accepted, not a configuration file. If they contain {@code --port N}, the server
   * listens on {@code N} instead of a free port picked by this class; {@code --port 0} (no plain
   * TCP listener) is accepted too, and the server is then deemed up when its log says it is ready
   * to accept connections.
   *
   * @param extraArgs extra {@code redis-server} options, e.g. {@code "--requirepass", "secret"}
   * @return the running server
   * @throws IllegalArgumentException if {@code --port} has no valid port number after it
   * @throws IllegalStateException if no server could be started; the message includes the tail of
   *     the server's log
   */
  public static RedisProcess start(String... extraArgs) {
    Objects.requireNonNull(extraArgs, "extraArgs == null");
    return start(binary(), extraArgs);
  }

  /**
   * Starts {@code binary} with {@code extraArgs}; the testable core of {@link #start(String...)}.
   */
  static RedisProcess start(Path binary, String... extraArgs) {
    return start(binary, null, extraArgs);
  }

  /**
   * Starts {@code redis-server} with the configuration file {@code configFile} (which it may
   * rewrite, as Sentinel does) and {@code extraArgs}.
   */
  static RedisProcess startWithConfig(Path configFile, String... extraArgs) {
    Objects.requireNonNull(configFile, "configFile == null");
    return start(binary(), configFile, extraArgs);
  }

  private static RedisProcess start(Path binary, @Nullable Path configFile, String... extraArgs) {
    Objects.requireNonNull(binary, "binary == null");
    Objects.requireNonNull(extraArgs, "extraArgs == null");
    for (int i = 0; i < extraArgs.length; i++) {
      Objects.requireNonNull(extraArgs[i], "extraArgs[" + i + "] == null");
    }
    List<String> args = Collections.unmodifiableList(new ArrayList<>(Arrays.asList(extraArgs)));
    int requestedPort = requestedPort(args);
    Path directory;
    try {
      directory = Files.createTempDirectory("redisrpc-redis-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for redis-server", e);
    }
    DIRECTORIES.add(directory);
    ensureShutdownHook();
    Path logFile = directory.resolve("redis.log");
    boolean started = false;
    try {
      Launched launched =
          launchWithRetries(binary, configFile, args, requestedPort, directory, logFile);
      RedisProcess redis =
          new RedisProcess(
              binary, configFile, args, launched.port, directory, logFile, launched.process);
      started = true;
      return redis;
    } finally {
      if (!started) {
        deleteRecursively(directory);
      }
    }
  }

  /**
   * Returns the {@code redis-server} binary that {@link #start(String...)} runs.
   *
   * <p>In order of priority: the system property {@code redisrpc.redis-server}, then the
   * environment variable {@code REDISRPC_REDIS_SERVER}, each naming a binary (a path, or a name
   * looked up on the {@code PATH}) or holding the word {@code embedded}; then {@code redis-server}
   * on the {@code PATH}; then the binary bundled in the {@code embedded-redis} jar for this OS and
   * architecture, extracted once per JVM to a temporary file that is deleted on exit.
   *
   * @return the absolute path of an executable file
   * @throws IllegalStateException if the configured binary does not exist, or if no binary is on
   *     the {@code PATH} and none is bundled for this OS and architecture
   */
  public static Path binary() {
    return resolveBinary(
        System.getProperty(BINARY_PROPERTY), System.getenv(BINARY_ENV), System.getenv("PATH"));
  }

  /** {@link #binary()} with its inputs given, for tests. */
  static Path resolveBinary(
      @Nullable String property, @Nullable String env, @Nullable String pathVariable) {
    String source;
    String configured;
    if (property != null && !property.isBlank()) {
      source = "system property " + BINARY_PROPERTY;
      configured = property.trim();
    } else if (env != null && !env.isBlank()) {
      source = "environment variable " + BINARY_ENV;
      configured = env.trim();
    } else {
      Path onPath = findOnPath(pathVariable, "redis-server");
      return onPath != null ? onPath : embeddedBinary();
    }
    if (configured.equalsIgnoreCase(EMBEDDED)) {
      return embeddedBinary();
    }
    Path candidate = null;
    try {
      Path path = Path.of(configured);
      if (isExecutableFile(path)) {
        candidate = path.toAbsolutePath();
      } else if (path.getNameCount() == 1 && !configured.contains(File.separator)) {
        candidate = findOnPath(pathVariable, configured);
      }
    } catch (InvalidPathException e) {
      candidate = null;
    }
    if (candidate == null) {
      throw new IllegalStateException(
          source
              + " is '"
              + configured
              + "', which is neither an executable file nor a program on the PATH"
              + " (use '"
              + EMBEDDED
              + "' for the binary bundled with embedded-redis)");
    }
    return candidate;
  }

  /** The bundled binary for this OS and architecture, extracted once per JVM. */
  static synchronized Path embeddedBinary() {
    Path cached = extractedBinary;
    if (cached != null && Files.isExecutable(cached)) {
      return cached;
    }
    String resource =
        embeddedResourceName(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    Path extracted = extract(resource);
    extractedBinary = extracted;
    return extracted;
  }

  /** Name of the classpath resource holding the bundled binary for an OS and architecture. */
  static String embeddedResourceName(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = osArch.toLowerCase(Locale.ROOT);
    boolean amd64 = arch.equals("amd64") || arch.equals("x86_64");
    boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
    boolean x86 = arch.equals("x86") || arch.matches("i[3-6]86");
    if (os.startsWith("linux")) {
      if (amd64) {
        return "redis-server-6.2.6-v5-linux-amd64";
      }
      if (arm64) {
        return "redis-server-6.2.7-linux-arm64";
      }
      if (x86) {
        return "redis-server-6.2.7-linux-386";
      }
    } else if (os.startsWith("mac") || os.contains("darwin")) {
      if (amd64) {
        return "redis-server-6.2.6-v5-darwin-amd64";
      }
      if (arm64) {
        return "redis-server-6.2.6-v5-darwin-arm64";
      }
    }
    throw new IllegalStateException(
        "No redis-server binary is bundled for os.name='"
            + osName
            + "', os.arch='"
            + osArch
            + "'; install redis-server on the PATH, or set the environment variable "
            + BINARY_ENV
            + " or the system property "
            + BINARY_PROPERTY
            + " to a redis-server binary");
  }

  private static Path extract(String resource) {
    ClassLoader loader = RedisProcess.class.getClassLoader();
    InputStream in =
        loader == null
            ? ClassLoader.getSystemResourceAsStream(resource)
            : loader.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException(
          "Classpath resource '"
              + resource
              + "' not found: is"
              + " com.github.codemonstur:embedded-redis on the classpath? Alternatively install redis-server"
              + " on the PATH or set "
              + BINARY_ENV
              + " to a redis-server binary");
    }
    try (in) {
      Path file = Files.createTempFile("redisrpc-" + resource + "-", "");
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
      } catch (UnsupportedOperationException e) {
        if (!file.toFile().setExecutable(true, true)) {
          throw new IllegalStateException("cannot make " + file + " executable", e);
        }
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract " + resource + " to a temporary file", e);
    }
  }

  private static @Nullable Path findOnPath(@Nullable String pathVariable, String name) {
    if (pathVariable == null) {
      return null;
    }
    for (String entry : pathVariable.split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      try {
        Path candidate = Path.of(entry, name);
        if (isExecutableFile(candidate)) {
          return candidate.toAbsolutePath();
        }
      } catch (InvalidPathException e) {
        // not a usable PATH entry
      }
    }
    return null;
  }

  private static boolean isExecutableFile(Path path) {
    return Files.isRegularFile(path) && Files.isExecutable(path);
  }

  /**
   * Returns a TCP port on {@code 127.0.0.1} that was free a moment ago, e.g. for {@code
   * "--tls-port"} in {@link #start(String...)}.
   *
   * @return a port number between 1 and 65535
   * @throws UncheckedIOException if no port could be bound
   */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(HOST, 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + HOST, e);
    }
  }

  /**
   * Returns the host the server listens on.
   *
   * @return {@code "127.0.0.1"}
   */
  public String host() {
    return HOST;
  }

  /**
   * Returns the port the server listens on; it stays the same across {@link #restart()}.
   *
   * @return the TCP port
   */
  public int port() {
    return port;
  }

  /**
   * Returns the URI of the server, without credentials.
   *
   * @return {@code "redis://127.0.0.1:PORT"}
   */
  public String uri() {
    return "redis://" + HOST + ":" + port;
  }

  /**
   * Returns the file receiving the server's standard output and error, across restarts. It is
   * deleted by {@link #close()}.
   *
   * @return the log file
   */
  public Path logFile() {
    return logFile;
  }

  /**
   * Tells whether the server process is alive.
   *
   * @return {@code true} while the process runs
   */
  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /**
   * Stops the server: sends SIGTERM, waits up to 10 seconds, then kills it forcibly. Does nothing
   * if the server is not running. Being unpersisted, its data is lost.
   *
   * @throws IllegalStateException if the process still runs after being killed
   */
  public synchronized void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroy();
    if (!awaitExit(p, STOP_TIMEOUT)) {
      p.destroyForcibly();
      awaitExit(p, STOP_TIMEOUT);
    }
    exited(p);
  }

  /**
   * Kills the server at once (SIGKILL) and waits for it to exit, as a crash would. Does nothing if
   * the server is not running.
   *
   * @throws IllegalStateException if the process still runs after being killed
   */
  public synchronized void kill() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroyForcibly();
    awaitExit(p, STOP_TIMEOUT);
    exited(p);
  }

  private void exited(Process p) {
    if (p.isAlive()) {
      throw new IllegalStateException(
          "redis-server (pid "
              + p.pid()
              + ") on port "
              + port
              + " is still running after being killed");
    }
    CHILDREN.remove(p);
    process = null;
  }

  /**
   * Stops the server if it runs, then starts it again on the same port with the same options, and
   * waits until it answers. Nothing is persisted, so the new server starts empty.
   *
   * @throws IllegalStateException if this instance is closed, if the port does not become free
   *     within 10 seconds, or if the server does not start; the message includes the tail of the
   *     server's log
   */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("RedisProcess on port " + port + " is closed");
    }
    stop();
    process = launchWithRetries(binary, configFile, extraArgs, port, directory, logFile).process;
  }

  /**
   * Stops the server like {@link #stop()} and deletes its temporary directory. Calling it again
   * does nothing; the instance cannot be restarted afterwards.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stop();
    } finally {
      deleteRecursively(directory);
    }
  }

  /**
   * Describes the server.
   *
   * @return its URI and whether it runs
   */
  @Override
  public String toString() {
    return "RedisProcess[" + uri() + (isRunning() ? ", running" : ", stopped") + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // launching

  private static final class Launched {
    final Process process;
    final int port;

    Launched(Process process, int port) {
      this.process = process;
      this.port = port;
    }
  }

  private static final class LaunchFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final boolean retryable;

    LaunchFailure(String message, boolean retryable, @Nullable Throwable cause) {
      super(message, cause);
      this.retryable = retryable;
    }
  }

  /** Launches redis on {@code port}, or on a free port if it is -1, retrying up to 5 times. */
  private static Launched launchWithRetries(
      Path binary,
      @Nullable Path configFile,
      List<String> args,
      int port,
      Path directory,
      Path logFile) {
    boolean fixedPort = port >= 0;
    LaunchFailure last = null;
    long logOffset = 0;
    int attempt = 0;
    while (attempt < MAX_ATTEMPTS) {
      attempt++;
      int candidate = fixedPort ? port : freePort();
      logOffset = size(logFile);
      try {
        if (fixedPort && candidate > 0 && !awaitBindable(candidate, START_TIMEOUT)) {
          throw new LaunchFailure(
              "port "
                  + candidate
                  + " on "
                  + HOST
                  + " is still in use after "
                  + START_TIMEOUT.toSeconds()
                  + " s",
              false,
              null);
        }
        Process p = launch(binary, configFile, args, candidate, directory, logFile, logOffset);
        return new Launched(p, candidate);
      } catch (LaunchFailure e) {
        last = e;
        if (!e.retryable) {
          break;
        }
      }
    }
    String reason = last == null ? "unknown reason" : last.getMessage();
    IllegalStateException failure =
        new IllegalStateException(
            "redis-server did not start after "
                + attempt
                + " attempt(s): "
                + reason
                + "\n  binary: "
                + binary
                + "\n  options: "
                + args
                + "\n--- tail of "
                + logFile
                + " ---\n"
                + tail(logFile, logOffset));
    if (last != null && last.getCause() != null) {
      failure.initCause(last.getCause());
    }
    throw failure;
  }

  private static Process launch(
      Path binary,
      @Nullable Path configFile,
      List<String> args,
      int port,
      Path directory,
      Path logFile,
      long logOffset)
      throws LaunchFailure {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    if (configFile != null) {
      command.add(configFile.toString());
    }
    if (requestedPort(args) < 0) {
      command.add("--port");
      command.add(Integer.toString(port));
    }
    command.addAll(
        List.of(
            "--bind", HOST,
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
            "--dir", directory.toString()));
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    Process p;
    try {
      p = builder.start();
    } catch (IOException e) {
      // "error=26, Text file busy": the freshly extracted binary is briefly open elsewhere.
      boolean busy = String.valueOf(e.getMessage()).contains("error=26");
      throw new LaunchFailure("cannot run " + binary + ": " + e.getMessage(), busy, e);
    }
    CHILDREN.add(p);
    closeQuietly(p.getOutputStream());
    boolean checkLog = port == 0 || readyLineLogged(args);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        if (!p.isAlive()) {
          CHILDREN.remove(p);
          // A bad option fails the same way on every port: no point in retrying.
          boolean badConfig = readSince(logFile, logOffset).contains("FATAL CONFIG");
          throw new LaunchFailure(
              "redis-server exited with code "
                  + p.exitValue()
                  + (port > 0 ? " (port " + port + ")" : ""),
              !badConfig,
              null);
        }
        boolean logReady = !checkLog || readSince(logFile, logOffset).contains(READY_LINE);
        if (logReady && (port == 0 || answersPing(port)) && p.isAlive()) {
          return p;
        }
        if (System.nanoTime() - deadline > 0) {
          destroyNow(p);
          throw new LaunchFailure(
              "redis-server did not answer PING on port "
                  + port
                  + " within "
                  + START_TIMEOUT.toSeconds()
                  + " s",
              false,
              null);
        }
        try {
          TimeUnit.MILLISECONDS.sleep(20);
        } catch (InterruptedException e) {
          interrupted = true;
          destroyNow(p);
          throw new LaunchFailure("interrupted while waiting for redis-server to start", false, e);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The port given as {@code --port N} in {@code args}, or -1. */
  private static int requestedPort(List<String> args) {
    int port = -1;
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equalsIgnoreCase("--port")) {
        String value = i + 1 < args.size() ? args.get(i + 1) : "";
        try {
          port = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
          port = -1;
        }
        if (port < 0 || port > 65535) {
          throw new IllegalArgumentException(
              "--port must be followed by a port number, not '" + value + "'");
        }
      }
    }
    return port;
  }

  /** Whether, with these options, redis still logs its ready line to standard output. */
  private static boolean readyLineLogged(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i).toLowerCase(Locale.ROOT);
      if (arg.equals("--logfile") || arg.equals("--syslog-enabled") || arg.equals("--sentinel")) {
        return false;
      }
      if (arg.equals("--loglevel") && i + 1 < args.size()) {
        String level = args.get(i + 1).trim().toLowerCase(Locale.ROOT);
        if (level.equals("warning") || level.equals("nothing")) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean answersPing(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 250);
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while (line.length() < 256 && (c = in.read()) != -1 && c != '\r' && c != '\n') {
        line.append((char) c);
      }
      String reply = line.toString();
      return reply.startsWith("+PONG") || reply.startsWith("-NOAUTH");
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean awaitBindable(int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(HOST, port));
        return true;
      } catch (IOException e) {
        if (System.nanoTime() - deadline > 0) {
          return false;
        }
      }
      try {
        TimeUnit.MILLISECONDS.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** Waits up to {@code timeout} for {@code p} to exit, ignoring but preserving interrupts. */
  private static boolean awaitExit(Process p, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        try {
          return p.waitFor(Math.max(left, 0), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void destroyNow(Process p) {
    p.destroyForcibly();
    if (awaitExit(p, STOP_TIMEOUT)) {
      CHILDREN.remove(p);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // files and shutdown

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static String readSince(Path file, long offset) {
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      long length = channel.size() - offset;
      if (length <= 0) {
        return "";
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, 1 << 20));
      channel.position(offset);
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // keep reading
      }
      return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(Path file, long offset) {
    long start = Math.max(offset, size(file) - 16 * 1024);
    String text = readSince(file, start);
    if (text.isEmpty()) {
      return "(empty)";
    }
    String[] lines = text.split("\\R");
    int from = Math.max(0, lines.length - LOG_TAIL_LINES);
    return String.join("\n", Arrays.asList(lines).subList(from, lines.length));
  }

  private static void closeQuietly(OutputStream out) {
    try {
      out.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  private static void deleteRecursively(Path directory) {
    DIRECTORIES.remove(directory);
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException e) {
                  // best effort
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // best effort
    }
  }

  private static void ensureShutdownHook() {
    if (SHUTDOWN_HOOK.compareAndSet(false, true)) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(RedisProcess::killAll, "redisrpc-redis-shutdown"));
    }
  }

  private static void killAll() {
    List<Process> children = new ArrayList<>(CHILDREN);
    children.forEach(Process::destroyForcibly);
    for (Process child : children) {
      awaitExit(child, Duration.ofSeconds(2));
    }
    new ArrayList<>(DIRECTORIES).forEach(RedisProcess::deleteRecursively);
  }
}
