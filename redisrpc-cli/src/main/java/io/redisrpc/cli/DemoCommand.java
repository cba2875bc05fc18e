package io.redisrpc.cli;

import io.redisrpc.examples.dropbox.DropboxDemo;
import io.redisrpc.testing.RedisProcess;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code redisrpc demo}: runs the Dropbox session of aioredis-rpc's README ({@link DropboxDemo})
 * against a Redis, by default a redis-server started for the occasion and stopped afterwards.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the Dropbox example of aioredis-rpc's README.",
      "A server holding at most 2 files and a client calling it; every call is printed",
      "with its result (<) or error (!).",
    },
    footer = {
      "",
      "Without --redis or REDIS_URL, the demo starts its own redis-server on a free port of",
      "127.0.0.1 (the one on the PATH, else the one bundled in this jar) and stops it afterwards.",
    })
public final class DemoCommand extends CliCommand {
  /** The environment variable giving the default of {@code --redis}. */
  public static final String REDIS_URL = "REDIS_URL";

  @ParentCommand private Main main;

  @Option(
      names = "--redis",
      paramLabel = "URL",
      description = {
        "Redis to run the demo on, e.g. redis://localhost:6379,",
        "redis-sentinel://localhost:26379#mymaster or redis-cluster://h1:7000,h2:7001.",
        "Default: the REDIS_URL environment variable, else an embedded redis-server.",
      })
  private String redis;

  @Option(
      names = "--serve",
      description = {
        "Only run the Dropbox server, until interrupted, to try the other",
        "commands on: services, describe, call, ping, stats.",
      })
  private boolean serve;

  /** Creates the command; picocli does so. */
  public DemoCommand() {}

  @Override
  protected int execute() throws InterruptedException {
    PrintStream out = System.out;
    String uri = redis != null && !redis.isBlank() ? redis.trim() : main.env(REDIS_URL);
    if (serve) {
      return DemoServer.serve(uri, out);
    }
    if (uri != null) {
      out.println("# Redis at " + redact(uri));
      DropboxDemo.run(uri, out);
      return EXIT_OK;
    }
    Path binary = RedisProcess.binary();
    out.println("# no --redis or " + REDIS_URL + ": starting an embedded Redis (" + binary + ")");
    try (RedisProcess embedded = RedisProcess.start()) {
      out.println("# embedded Redis listening on " + embedded.uri());
      DropboxDemo.run(embedded.uri(), out);
    }
    out.println("# embedded Redis stopped");
    return EXIT_OK;
  }

  /** {@code uri} without the password it may hold. */
  static String redact(String uri) {
    return uri.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^@/]*@", "$1***@");
  }
}
