package io.redisrpc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.redisrpc.RpcRegistry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code redisrpc describe SERVICE}: endpoints, parameters and result schemas. */
@Command(
    name = "describe",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the endpoints of a service, their parameters and result types.",
      "Read from the descriptor its servers publish. With --json, the descriptor",
      "itself, with the JSON Schemas of every parameter and result.",
    })
public final class DescribeCommand extends RedisCommand {
  @Parameters(index = "0", paramLabel = "SERVICE", description = "The service, e.g. Dropbox.")
  String service;

  /** Creates the command; picocli does so. */
  public DescribeCommand() {}

  @Override
  protected int execute() {
    PrintWriter out = out();
    try (RpcRegistry registry = RpcRegistry.connect(redisUri(), timeout)) {
      DescriptorView descriptor = lookUp(registry, service);
      if (descriptor == null) {
        throw new IllegalStateException(
            service + " has live instances but publishes no descriptor");
      }
      if (json) {
        out.println(CliJson.write(descriptor.json(), false));
      } else {
        int live = registry.instances(service).size();
        print(descriptor, live, out);
      }
    }
    out.flush();
    return EXIT_OK;
  }

  static void print(DescriptorView d, int liveInstances, PrintWriter out) {
    List<DescriptorView.EndpointView> endpoints = d.endpoints();
    out.println(
        d.service()
            + ": "
            + Format.count(endpoints.size(), "endpoint")
            + ", "
            + Format.count(liveInstances, "live instance")
            + " (protocol "
            + d.protocolVersion()
            + ", codecs "
            + String.join(", ", d.codecs())
            + (d.signed() ? ", signed messages" : "")
            + (d.library().isEmpty() ? "" : ", " + d.library())
            + ")");
    out.println();
    Table table = new Table("ENDPOINT", "NOTES");
    for (DescriptorView.EndpointView e : endpoints) {
      List<String> notes = new ArrayList<>();
      if (e.idempotent()) {
        notes.add("idempotent");
      }
      if (e.timeoutMillis() > 0) {
        notes.add("timeout " + e.timeoutMillis() + " ms");
      }
      for (String thrown : e.declaredExceptions()) {
        notes.add("throws " + thrown.substring(thrown.lastIndexOf('.') + 1));
      }
      table.add(DescriptorView.signature(e), notes.isEmpty() ? "" : String.join(", ", notes));
    }
    List<String> lines = table.lines();
    for (String line : lines.subList(1, lines.size())) {
      out.println("  " + line);
    }
    List<Map.Entry<String, JsonNode>> types = d.definitions();
    if (!types.isEmpty()) {
      out.println();
      out.println("Types:");
      for (Map.Entry<String, JsonNode> type : types) {
        out.println("  " + type.getKey() + " {");
        JsonNode required = type.getValue().path("required");
        type.getValue()
            .path("properties")
            .properties()
            .forEach(
                p -> {
                  boolean req = false;
                  for (JsonNode r : required) {
                    req |= r.asText().equals(p.getKey());
                  }
                  out.println(
                      "    "
                          + p.getKey()
                          + ": "
                          + DescriptorView.typeName(p.getValue())
                          + (req ? "  (required)" : ""));
                });
        out.println("  }");
      }
    }
  }
}
