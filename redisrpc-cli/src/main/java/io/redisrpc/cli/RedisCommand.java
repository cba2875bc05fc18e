package io.redisrpc.cli;

import io.redisrpc.RpcRegistry;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Base of the subcommands that talk to a Redis: the options {@code --redis}, {@code --timeout} and
 * {@code --json} they all share.
 */
abstract class RedisCommand extends CliCommand {
  /** The Redis used without {@code --redis} or {@code REDIS_URL}. */
  static final String DEFAULT_REDIS = "redis://localhost:6379";

  @ParentCommand Main main;

  @Option(
      names = "--redis",
      paramLabel = "URL",
      description = {
        "The Redis of the services, e.g. redis://host:6379,",
        "rediss://user:password@host:6380/0, redis-sentinel://host:26379#mymaster,",
        "redis-cluster://host1:6379,host2:6379.",
        "Default: $REDIS_URL, else " + DEFAULT_REDIS + ".",
      })
  String redis;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "How long to wait for Redis and for replies, e.g. 500ms, 10s, 1m (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  /**
   * The Redis URI to use: {@code --redis}, else {@code REDIS_URL}, else {@value #DEFAULT_REDIS}.
   */
  String redisUri() {
    if (redis != null && !redis.isBlank()) {
      return redis.trim();
    }
    String fromEnv = main == null ? null : main.env(DemoCommand.REDIS_URL);
    return fromEnv != null ? fromEnv : DEFAULT_REDIS;
  }

  /**
   * The descriptor of {@code service}; null when it has live instances but no descriptor (a server
   * that does not publish one). Fails with one line, naming the known services, when it has
   * neither.
   */
  DescriptorView lookUp(RpcRegistry registry, String service) {
    Optional<String> descriptor = registry.descriptor(service);
    if (descriptor.isPresent()) {
      return DescriptorView.parse(descriptor.get());
    }
    if (!registry.instances(service).isEmpty()) {
      return null;
    }
    List<String> known = registry.services();
    throw new IllegalArgumentException(
        "unknown service '"
            + service
            + "' at "
            + DemoCommand.redact(redisUri())
            + (known.isEmpty()
                ? ": no services there"
                : "; services: " + String.join(", ", known)));
  }

  /** Fails when the service accepts only signed messages, which this tool cannot sign. */
  static void requireUnsigned(DescriptorView descriptor) {
    if (descriptor != null && descriptor.signed()) {
      throw new IllegalStateException(
          descriptor.service()
              + " accepts only messages signed with its shared secret, which redisrpc cannot sign");
    }
  }

  /** Where the command prints its output. */
  PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
