package io.redisrpc.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code redisrpc bench} run from this jar: the benchmark is not in it (it would bring Redisson,
 * NATS and JMH into every user's CLI), so this hidden command says where it is, in one line on
 * standard error, and exits with {@value CliCommand#EXIT_FAILURE}. The launcher {@code ./redisrpc}
 * sends {@code bench} to {@code redisrpc-bench/target/redisrpc-bench.jar} instead of this jar.
 */
@Command(
    name = "bench",
    hidden = true,
    description = {
      "Not in this jar: the benchmark has a jar of its own. Run it with",
      "  ./redisrpc bench [--quick]",
      "  java -jar redisrpc-bench/target/redisrpc-bench.jar [--quick]",
    })
public final class BenchMovedCommand extends CliCommand {
  /** What {@code java -jar redisrpc.jar bench ...} prints to standard error. */
  static final String MESSAGE =
      "redisrpc bench: the benchmark is not in this jar: use ./redisrpc bench,"
          + " or java -jar redisrpc-bench/target/redisrpc-bench.jar";

  /** Every argument, --help included: each gets the same answer. */
  @Unmatched private List<String> arguments;

  /** Creates the command; picocli does so. */
  public BenchMovedCommand() {}

  @Override
  protected int execute() {
    spec.commandLine().getErr().println(MESSAGE);
    spec.commandLine().getErr().flush();
    return EXIT_FAILURE;
  }
}
