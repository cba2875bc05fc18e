package io.redisrpc.cli;

import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the subcommands of {@link Main}: runs {@link #execute()} and turns any exception it
 * throws into one line on standard error, such as {@code redisrpc demo: error: Cannot connect to
 * Redis at redis://127.0.0.1:1: Connection refused}, and the exit code {@value #EXIT_FAILURE}.
 */
public abstract class CliCommand implements Callable<Integer> {
  /** The exit code of success. */
  public static final int EXIT_OK = 0;

  /** The exit code of a command that failed. */
  public static final int EXIT_FAILURE = 1;

  /** Redis' redirection of a command to the node of a cluster owning its key. */
  private static final Pattern MOVED = Pattern.compile("\\bMOVED \\d+ ");

  /** The command being run, injected by picocli. */
  @Spec protected CommandSpec spec;

  /** For subclasses. */
  protected CliCommand() {}

  /**
   * Does the work of the command.
   *
   * @return the exit code
   * @throws Exception reported as one line on standard error
   */
  protected abstract int execute() throws Exception;

  /** Runs {@link #execute()}, reporting its failure as one line on standard error. */
  @Override
  public final Integer call() {
    try {
      return execute();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      spec.commandLine().getErr().println(errorLine(spec, e));
      spec.commandLine().getErr().flush();
      return EXIT_FAILURE;
    }
  }

  /** One line describing {@code failure} of {@code command}, for standard error. */
  static String errorLine(CommandSpec command, Throwable failure) {
    return command.qualifiedName() + ": error: " + describe(failure);
  }

  /** The first line of the message of {@code failure}, or of its cause when it has none. */
  static String describe(Throwable failure) {
    Throwable t = failure;
    while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      return t.getClass().getName();
    }
    String firstLine = message.strip().lines().findFirst().orElse("").strip();
    boolean plain =
        t instanceof io.redisrpc.RpcException
            || t instanceof IllegalArgumentException
            || t instanceof IllegalStateException
            || t instanceof java.util.NoSuchElementException;
    return (plain ? firstLine : t.getClass().getSimpleName() + ": " + firstLine)
        + clusterHint(firstLine);
  }

  /**
   * A hint when Redis redirected a command: a redis:// URI names one node of a Redis Cluster, which
   * answers MOVED for the keys of the other nodes.
   */
  static String clusterHint(String message) {
    return MOVED.matcher(message).find()
        ? " (a node of a Redis Cluster: use --redis redis-cluster://HOST:PORT[,HOST:PORT...])"
        : "";
  }
}
