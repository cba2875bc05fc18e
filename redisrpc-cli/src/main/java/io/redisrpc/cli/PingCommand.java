package io.redisrpc.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisrpc.DynamicClient;
import io.redisrpc.RpcException;
import io.redisrpc.RpcRegistry;
import io.redisrpc.ServiceInstance;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code redisrpc ping SERVICE}: a round trip to each live instance, and one through the queue. */
@Command(
    name = "ping",
    mixinStandardHelpOptions = true,
    description = {
      "Measures a round trip to each live instance and one through the queue.",
      "Every instance answers a ping on the service's ping channel; the built-in",
      "$ping method goes through the request queue like any call, answered by",
      "whichever instance takes it. Exits with 1 unless all answered in time.",
    })
public final class PingCommand extends RedisCommand {
  @Parameters(index = "0", paramLabel = "SERVICE", description = "The service, e.g. Dropbox.")
  String service;

  /** Creates the command; picocli does so. */
  public PingCommand() {}

  @Override
  protected int execute() {
    PrintWriter out = out();
    List<ServiceInstance> instances;
    try (RpcRegistry registry = RpcRegistry.connect(redisUri(), timeout)) {
      requireUnsigned(lookUp(registry, service));
      instances = registry.instances(service);
    }
    if (instances.isEmpty()) {
      throw new IllegalStateException("no live instance of " + service);
    }
    Map<String, Duration> answers;
    String queueInstance = null;
    Duration queueTime = null;
    String queueError = null;
    try (DynamicClient client = DynamicClient.connect(redisUri(), service)) {
      answers = client.pingInstances(instances.size(), timeout);
      long start = System.nanoTime();
      try {
        String pong = client.call(DynamicClient.PING, "[]", timeout);
        queueTime = Duration.ofNanos(System.nanoTime() - start);
        queueInstance = CliJson.parse(pong, "reply").path("instance").asText("");
      } catch (RpcException e) {
        queueError = CliCommand.describe(e);
      }
    }
    boolean allAnswered = queueTime != null;
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("service", service);
    ArrayNode array = root.putArray("instances");
    Table table = new Table("", "INSTANCE", "HOST", "PID", "TIME").alignRight(3, 4);
    for (ServiceInstance i : instances) {
      Duration rtt = answers.get(i.id());
      allAnswered &= rtt != null;
      ObjectNode node = array.addObject();
      node.put("id", i.id());
      node.put("host", i.host());
      node.put("pid", i.pid());
      if (rtt == null) {
        node.putNull("time_ms");
      } else {
        node.put("time_ms", rtt.toNanos() / 1e6);
      }
      table.add(
          "instance",
          Format.shortId(i.id()),
          i.host().isEmpty() ? null : i.host(),
          i.pid() < 0 ? null : i.pid(),
          rtt == null ? "no answer within " + Format.age(timeout) : Format.latency(rtt));
    }
    ObjectNode queue = root.putObject("queue");
    if (queueTime != null) {
      queue.put("instance", queueInstance);
      queue.put("time_ms", queueTime.toNanos() / 1e6);
      table.add("queue", "via " + Format.shortId(queueInstance), "", "", Format.latency(queueTime));
    } else {
      queue.putNull("time_ms");
      queue.put("error", queueError);
      table.add("queue", "", "", "", queueError);
    }
    if (json) {
      out.println(CliJson.write(root, false));
    } else {
      out.println("PING " + service + ": " + Format.count(instances.size(), "live instance"));
      List<String> lines = table.lines();
      lines.subList(1, lines.size()).forEach(out::println);
    }
    out.flush();
    return allAnswered ? EXIT_OK : EXIT_FAILURE;
  }
}
