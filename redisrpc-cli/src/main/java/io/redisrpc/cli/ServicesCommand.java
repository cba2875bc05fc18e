package io.redisrpc.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisrpc.RpcRegistry;
import io.redisrpc.ServiceInstance;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code redisrpc services}: the services in a Redis and their live instances. */
@Command(
    name = "services",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the services in Redis and their live instances.",
      "Every server announces itself with each heartbeat and withdraws when it",
      "stops; an instance that misses three heartbeats disappears on its own.",
    })
public final class ServicesCommand extends RedisCommand {
  /** Creates the command; picocli does so. */
  public ServicesCommand() {}

  @Override
  protected int execute() {
    PrintWriter out = out();
    try (RpcRegistry registry = RpcRegistry.connect(redisUri(), timeout)) {
      List<String> services = registry.services();
      if (json) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (String service : services) {
          ObjectNode node = array.addObject();
          node.put("service", service);
          ArrayNode instances = node.putArray("instances");
          for (ServiceInstance i : registry.instances(service)) {
            instances.add(instanceJson(i));
          }
        }
        out.println(CliJson.write(array, false));
      } else if (services.isEmpty()) {
        out.println("No services at " + DemoCommand.redact(redisUri()));
      } else {
        Table table =
            new Table("SERVICE", "INSTANCE", "HOST", "PID", "VERSION", "UPTIME", "IN-FLIGHT")
                .alignRight(3, 6);
        for (String service : services) {
          List<ServiceInstance> instances = registry.instances(service);
          if (instances.isEmpty()) {
            table.add(service, "(no live instance)", "", "", "", "", "");
          }
          for (ServiceInstance i : instances) {
            table.add(
                service,
                Format.shortId(i.id()),
                i.host().isEmpty() ? null : i.host(),
                i.pid() < 0 ? null : i.pid(),
                i.version().isEmpty() ? null : i.version(),
                uptime(i),
                i.stats().map(s -> s.inFlight()).orElse(null));
          }
        }
        table.lines().forEach(out::println);
      }
    }
    out.flush();
    return EXIT_OK;
  }

  static String uptime(ServiceInstance i) {
    if (i.startedAt().isEmpty() || i.lastHeartbeat().isEmpty()) {
      return null;
    }
    return Format.age(Duration.between(i.startedAt().get(), i.lastHeartbeat().get()));
  }

  static ObjectNode instanceJson(ServiceInstance i) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("id", i.id());
    node.put("host", i.host());
    node.put("pid", i.pid());
    node.put("version", i.version());
    node.put("protocol_version", i.protocolVersion());
    node.put("started_at", i.startedAt().map(Object::toString).orElse(null));
    node.put("last_heartbeat", i.lastHeartbeat().map(Object::toString).orElse(null));
    node.put("expires_at", i.expiresAt().toString());
    ArrayNode endpoints = node.putArray("endpoints");
    i.endpoints().forEach(endpoints::add);
    node.put("in_flight", i.stats().map(s -> s.inFlight()).orElse(0));
    return node;
  }
}
