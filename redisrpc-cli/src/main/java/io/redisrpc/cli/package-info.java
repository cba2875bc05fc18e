/**
 * The {@code redisrpc} command line tool: {@link io.redisrpc.cli.Main} and its subcommands.
 *
 * <p>To add a subcommand, extend {@link io.redisrpc.cli.CliCommand} and list the class in the
 * {@code subcommands} of {@link io.redisrpc.cli.Main}'s {@code @Command}.
 */
package io.redisrpc.cli;
