package io.redisrpc.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.redisrpc.DynamicClient;
import io.redisrpc.RpcRegistry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code redisrpc call SERVICE.METHOD [JSON]}: calls any endpoint with JSON arguments. */
@Command(
    name = "call",
    mixinStandardHelpOptions = true,
    description = {
      "Calls an endpoint with JSON arguments and prints its JSON result.",
      "The arguments are a JSON array (one element per parameter), an object by",
      "parameter name, or for an endpoint of one parameter its value alone.",
      "Parameter names come from the descriptor the servers publish: no Java",
      "interface is needed. An error prints its status code and message on",
      "standard error and exits with 1.",
    },
    footer = {
      "",
      "Examples:",
      "  redisrpc call Dropbox.uploadFile '{\"file\": {\"name\": \"a.txt\", \"data\": \"aGk=\"}}'",
      "  redisrpc call Dropbox.downloadFile '[\"a.txt\"]'",
      "  redisrpc call Dropbox.downloadFile '\"a.txt\"'",
      "  redisrpc call Dropbox.getFileNames",
    })
public final class CallCommand extends RedisCommand {
  @Parameters(
      index = "0",
      paramLabel = "SERVICE.METHOD",
      description = "The endpoint, e.g. Dropbox.getFileNames.")
  String target;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "JSON",
      description = "The arguments: a JSON array, an object by parameter name, or a single value.")
  String arguments;

  /** Creates the command; picocli does so. */
  public CallCommand() {}

  @Override
  protected int execute() {
    PrintWriter out = out();
    String service;
    String method;
    DescriptorView descriptor;
    try (RpcRegistry registry = RpcRegistry.connect(redisUri(), timeout)) {
      String[] split = split(registry, target);
      service = split[0];
      method = split[1];
      descriptor = lookUp(registry, service);
    }
    requireUnsigned(descriptor);
    String qualified = service + "." + method;
    DescriptorView.EndpointView endpoint = null;
    if (descriptor != null && !method.equals(DynamicClient.PING)) {
      endpoint =
          descriptor
              .endpoint(method)
              .orElseThrow(
                  () -> {
                    List<String> names = new ArrayList<>();
                    descriptor.endpoints().forEach(e -> names.add(e.name()));
                    return new IllegalArgumentException(
                        service
                            + " has no endpoint '"
                            + method
                            + "'; its endpoints: "
                            + String.join(", ", names));
                  });
    }
    ArrayNode args = CallArguments.of(arguments, endpoint, qualified);
    String result;
    try (DynamicClient client = DynamicClient.connect(redisUri(), service)) {
      result = client.call(method, CliJson.write(args, true), timeout);
    }
    out.println(json ? result : CliJson.write(CliJson.parse(result, "result"), false));
    out.flush();
    return EXIT_OK;
  }

  /**
   * {@code target} split into service and method. Service and endpoint names may both contain dots:
   * the first split whose service is known wins, else the split at the first dot.
   */
  static String[] split(RpcRegistry registry, String target) {
    int first = target.indexOf('.');
    if (first <= 0 || first == target.length() - 1) {
      throw new IllegalArgumentException(
          "expected SERVICE.METHOD, e.g. Dropbox.getFileNames, not '" + target + "'");
    }
    for (int dot = first;
        dot > 0 && dot < target.length() - 1;
        dot = target.indexOf('.', dot + 1)) {
      String service = target.substring(0, dot);
      if (registry.descriptor(service).isPresent()) {
        return new String[] {service, target.substring(dot + 1)};
      }
    }
    return new String[] {target.substring(0, first), target.substring(first + 1)};
  }
}
