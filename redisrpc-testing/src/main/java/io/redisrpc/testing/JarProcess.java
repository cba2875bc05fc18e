package io.redisrpc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs a runnable jar as a user would, {@code java -jar JAR ARGS...} in a process of its own, and
 * returns its exit code and everything it printed: for tests of a command line tool.
 *
 * <pre>{@code
 * JarProcess tool = JarProcess.of(Path.of("target/mytool.jar"))
 *     .env("REDIS_URL", redis.uri())
 *     .limit(Duration.ofSeconds(30));
 * JarProcess.Run run = tool.run("list", "--json");
 * assertThat(run.exitCode()).as(run.toString()).isZero();
 * }</pre>
 *
 * <p>The jar runs on the {@code java} of the JVM running the test. Its environment is this
 * process's, with the changes given by {@link #env}. Standard output and standard error go to
 * temporary files (so a chatty process never blocks on a full pipe), read back once it has ended. A
 * process that does not end within {@link #limit} is killed and the run fails with an {@link
 * AssertionError} showing what it had printed. Instances are immutable and thread-safe.
 */
public final class JarProcess {
  /** How long a run may take unless {@link #limit} says otherwise. */
  public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(60);

  private final Path jar;
  private final Duration limit;
  private final Map<String, @Nullable String> env;
  private final List<String> jvmOptions;

  private JarProcess(
      Path jar, Duration limit, Map<String, @Nullable String> env, List<String> jvmOptions) {
    this.jar = jar;
    this.limit = limit;
    this.env = env;
    this.jvmOptions = jvmOptions;
  }

  /** Runs {@code jar}, with this process's environment and a limit of 60 s per run. */
  public static JarProcess of(Path jar) {
    Objects.requireNonNull(jar, "jar == null");
    return new JarProcess(jar, DEFAULT_LIMIT, Map.of(), List.of());
  }

  /** The same with each run killed, and failed, after {@code limit}. */
  public JarProcess limit(Duration limit) {
    Objects.requireNonNull(limit, "limit == null");
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    return new JarProcess(jar, limit, env, jvmOptions);
  }

  /**
   * The same with the environment variable {@code name} set to {@code value}, or removed when
   * {@code value} is null.
   */
  public JarProcess env(String name, @Nullable String value) {
    Objects.requireNonNull(name, "name == null");
    Map<String, @Nullable String> changed = new HashMap<>(env);
    changed.put(name, value);
    return new JarProcess(jar, limit, Collections.unmodifiableMap(changed), jvmOptions);
  }

  /** The same with {@code options} given to the JVM before {@code -jar}, e.g. {@code -Dx=y}. */
  public JarProcess jvmOptions(String... options) {
    List<String> all = new ArrayList<>(jvmOptions);
    for (String option : options) {
      all.add(Objects.requireNonNull(option, "option == null"));
    }
    return new JarProcess(jar, limit, env, List.copyOf(all));
  }

  /**
   * Runs the jar with {@code args} and waits for it to end.
   *
   * @throws AssertionError when it does not end within the limit (it is killed)
   * @throws UncheckedIOException when it cannot be started
   */
  public Run run(String... args) {
    return run(List.of(args));
  }

  /** {@link #run(String...)} with the arguments as a list. */
  public Run run(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("jar-process", ".out");
      err = Files.createTempFile("jar-process", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      for (Map.Entry<String, @Nullable String> e : env.entrySet()) {
        String value = e.getValue();
        if (value == null) {
          builder.environment().remove(e.getKey());
        } else {
          builder.environment().put(e.getKey(), value);
        }
      }
      Process process = builder.start();
      boolean ended;
      try {
        ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + describe(args), e);
      }
      if (!ended) {
        process.destroyForcibly();
        try {
          process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new AssertionError(
            describe(args)
                + " did not end within "
                + limit
                + "\n--- out:\n"
                + read(out)
                + "--- err:\n"
                + read(err));
      }
      return new Run(process.exitValue(), read(out), read(err));
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + describe(args), e);
    } finally {
      delete(out);
      delete(err);
    }
  }

  private String describe(List<String> args) {
    return "java -jar " + jar + (args.isEmpty() ? "" : " " + String.join(" ", args));
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static void delete(@Nullable Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // a temporary file left behind
      }
    }
  }

  @Override
  public String toString() {
    return "JarProcess[" + jar + "]";
  }

  /**
   * A process that ended: its exit code, its standard output and its standard error (UTF-8).
   *
   * @param exitCode the exit code
   * @param out everything printed on standard output
   * @param err everything printed on standard error
   */
  public record Run(int exitCode, String out, String err) {
    /** Checks the texts. */
    public Run {
      Objects.requireNonNull(out, "out == null");
      Objects.requireNonNull(err, "err == null");
    }

    /** The exit code and both outputs, for assertion messages. */
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
    }
  }
}
