package io.redisrpc.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.redisrpc.RpcRegistry;
import io.redisrpc.ServiceStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code redisrpc stats [SERVICE] [--watch]}: live statistics of services. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {
      "Shows live statistics of a service, or of every service.",
      "Its request queue (calls waiting and running, and how long the oldest has",
      "waited); per endpoint the calls, errors by status code, calls in flight,",
      "latency p50/p99 and the last error, summed over the live instances; then",
      "each instance. Instances write their statistics with each heartbeat, so",
      "they are at most one heartbeat old. With --watch, the table is refreshed",
      "in place until interrupted (Ctrl-C).",
    })
public final class StatsCommand extends RedisCommand {
  private static final String CURSOR_UP = "\u001b[%dA";
  private static final String CLEAR_LINE_END = "\u001b[K";
  private static final String CLEAR_SCREEN_END = "\u001b[J";

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "SERVICE",
      description = "The service; every service when absent.")
  String service;

  @Option(
      names = {"-w", "--watch"},
      description = "Refresh the statistics in place.")
  boolean watch;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = "1s",
      converter = DurationConverter.class,
      description = "How often --watch refreshes (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(
      names = "--count",
      paramLabel = "N",
      description = "With --watch, stop after N refreshes (default: until interrupted).")
  Integer count;

  /** Creates the command; picocli does so. */
  public StatsCommand() {}

  @Override
  protected int execute() throws InterruptedException {
    if (count != null && count < 1) {
      throw new IllegalArgumentException("--count must be at least 1: " + count);
    }
    PrintWriter out = out();
    try (RpcRegistry registry = RpcRegistry.connect(redisUri(), timeout)) {
      if (service != null) {
        lookUp(registry, service);
      }
      if (!watch) {
        print(read(registry), out);
        out.flush();
        return EXIT_OK;
      }
      int previous = 0;
      for (int frame = 1; count == null || frame <= count; frame++) {
        long started = System.nanoTime();
        List<ServiceStats> stats = read(registry);
        if (json) {
          // One JSON document per line and refresh, for tools reading the stream.
          out.println(CliJson.write(toJson(stats), true));
        } else {
          if (previous > 0) {
            out.print(String.format(CURSOR_UP, previous) + "\r");
          }
          List<String> lines = new ArrayList<>();
          lines.add(
              "Every "
                  + Format.age(interval)
                  + " at "
                  + LocalTime.now().truncatedTo(ChronoUnit.SECONDS)
                  + " - Ctrl-C to stop");
          lines.add("");
          lines.addAll(text(stats));
          for (String line : lines) {
            out.print(line + CLEAR_LINE_END + System.lineSeparator());
          }
          out.print(CLEAR_SCREEN_END);
          previous = lines.size();
        }
        out.flush();
        if (count != null && frame == count) {
          break;
        }
        long left = interval.toNanos() - (System.nanoTime() - started);
        if (left > 0) {
          TimeUnit.NANOSECONDS.sleep(left);
        }
      }
    }
    return EXIT_OK;
  }

  private List<ServiceStats> read(RpcRegistry registry) {
    List<String> services = service != null ? List.of(service) : registry.services();
    List<ServiceStats> out = new ArrayList<>();
    for (String s : services) {
      out.add(registry.stats(s));
    }
    return out;
  }

  private void print(List<ServiceStats> stats, PrintWriter out) {
    if (json) {
      out.println(CliJson.write(toJson(stats), false));
    } else {
      text(stats).forEach(out::println);
    }
  }

  private List<String> text(List<ServiceStats> stats) {
    List<String> lines = new ArrayList<>();
    if (stats.isEmpty()) {
      lines.add("No services at " + DemoCommand.redact(redisUri()));
    }
    for (ServiceStats s : stats) {
      if (!lines.isEmpty()) {
        lines.add("");
      }
      lines.addAll(StatsView.lines(s));
    }
    return lines;
  }

  private com.fasterxml.jackson.databind.JsonNode toJson(List<ServiceStats> stats) {
    if (service != null) {
      return StatsView.json(stats.get(0));
    }
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    stats.forEach(s -> array.add(StatsView.json(s)));
    return array;
  }
}
