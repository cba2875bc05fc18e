package io.redisrpc.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code redisrpc completion}: the bash/zsh completion script of every command and option. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the shell completion script (bash and zsh).",
      "Load it in the current shell with",
      "  source <(redisrpc completion)",
      "or save it, e.g. as /etc/bash_completion.d/redisrpc.",
    })
public final class CompletionCommand extends CliCommand {
  /** Creates the command; picocli does so. */
  public CompletionCommand() {}

  @Override
  protected int execute() {
    CommandLine root = spec.root().commandLine();
    String script = AutoComplete.bash(spec.root().name(), root);
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
    return EXIT_OK;
  }
}
