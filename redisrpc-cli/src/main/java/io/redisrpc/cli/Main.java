package io.redisrpc.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code redisrpc} command: {@code java -jar redisrpc.jar <subcommand> [options]}.
 *
 * <p>Subcommands are registered in one place, the {@code subcommands} list of this class's {@link
 * Command}; each extends {@link CliCommand}, so that its failures print one line to standard error
 * and exit with {@value CliCommand#EXIT_FAILURE}.
 */
@Command(
    name = "redisrpc",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Typed remote calls between Java services over Redis.",
    synopsisSubcommandLabel = "COMMAND",
    footer = {
      "",
      "bench: the benchmark against Redisson, NATS and raw Redis pub/sub is not in this",
      "jar; the launcher runs it from the redisrpc-bench jar: ./redisrpc bench --help",
      "(or java -jar redisrpc-bench/target/redisrpc-bench.jar --help).",
    },
    subcommands = {
      // Every subcommand of redisrpc, in the order `redisrpc --help` lists them.
      ServicesCommand.class,
      DescribeCommand.class,
      CallCommand.class,
      PingCommand.class,
      StatsCommand.class,
      DeadCommand.class,
      DemoCommand.class,
      // Hidden: says that `bench` is run from redisrpc-bench's own jar (see the footer).
      BenchMovedCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class,
    })
public final class Main implements Callable<Integer> {
  private final Map<String, String> environment;

  @Spec private CommandSpec spec;

  /**
   * The command as run from a shell, reading settings such as {@code REDIS_URL} from the
   * environment.
   */
  public Main() {
    this(System.getenv());
  }

  /** The command with {@code environment} in place of the process environment; for tests. */
  Main(Map<String, String> environment) {
    this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment == null"));
  }

  /**
   * Runs the command line {@code args} and exits with its exit code: 0 on success, 1 when the
   * command failed, 2 for invalid usage.
   */
  public static void main(String[] args) {
    quietNettyOnNewJava();
    System.exit(commandLine(new Main()).execute(args));
  }

  /**
   * On Java 24 and later, the JVM prints a warning to standard error when Netty (under Lettuce)
   * uses {@code sun.misc.Unsafe}; Netty's {@code io.netty.noUnsafe} avoids it unless set already.
   */
  private static void quietNettyOnNewJava() {
    if (Runtime.version().feature() >= 24 && System.getProperty("io.netty.noUnsafe") == null) {
      System.setProperty("io.netty.noUnsafe", "true");
    }
  }

  /**
   * {@code main} as a {@link CommandLine}, with short messages for invalid usage and for unexpected
   * exceptions.
   */
  static CommandLine commandLine(Main main) {
    CommandLine commandLine = new CommandLine(main);
    commandLine.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine failed = ex.getCommandLine();
          PrintWriter err = failed.getErr();
          err.println(failed.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
          err.println(
              "Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
          return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
    commandLine.setExecutionExceptionHandler(
        (ex, failed, parseResult) -> {
          failed.getErr().println(CliCommand.errorLine(failed.getCommandSpec(), ex));
          return CliCommand.EXIT_FAILURE;
        });
    return commandLine;
  }

  /** {@code redisrpc} without a subcommand: prints the usage to standard error. */
  @Override
  public Integer call() {
    CommandLine commandLine = spec.commandLine();
    commandLine.getErr().println("redisrpc: a command is required");
    commandLine.usage(commandLine.getErr());
    return commandLine.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** The value of the environment variable {@code name}, or null when it is unset or blank. */
  String env(String name) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** The version of redisrpc: from the jar's manifest, else from the build's resources. */
  static String version() {
    String version = Main.class.getPackage().getImplementationVersion();
    if (version != null) {
      return version;
    }
    try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        String fromBuild = properties.getProperty("version");
        if (fromBuild != null && !fromBuild.isBlank() && !fromBuild.startsWith("${")) {
          return fromBuild;
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return "unknown";
  }

  /** Answers {@code redisrpc --version}. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "redisrpc " + version(),
        "Java ${java.version} (${java.vendor} ${java.vm.name} ${java.vm.version})",
      };
    }
  }
}
