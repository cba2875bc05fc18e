package io.redisrpc.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisrpc.DeadLetter;
import io.redisrpc.DeadLetters;
import io.redisrpc.RedisRpc;
import io.redisrpc.RpcRegistry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code redisrpc dead SERVICE}: a service's dead letters, listed, replayed or deleted. */
@Command(
    name = "dead",
    mixinStandardHelpOptions = true,
    description = {
      "Lists, replays or deletes the dead letters of a service.",
      "Dead letters are calls of idempotent endpoints delivered too often without",
      "completing (their servers kept dying); listed oldest first, over all",
      "partitions, with their arguments as JSON.",
      "A replay appends the call to the service's requests again, unchanged, and",
      "removes it from the dead letters, in one step, when a server is live; the",
      "call then runs again (at least once more). Its caller was answered",
      "UNAVAILABLE long ago and never sees the new result. Signed calls cannot be",
      "replayed.",
    })
public final class DeadCommand extends RedisCommand {
  @Parameters(index = "0", paramLabel = "SERVICE", description = "The service, e.g. Dropbox.")
  String service;

  @Option(
      names = "--replay",
      paramLabel = "ID",
      description = "Replays dead letter ID (as listed; P/ID in a partitioned service).")
  String replay;

  @Option(
      names = "--all",
      description = "Replays every dead letter that can be replayed (not signed, decodable).")
  boolean all;

  @Option(names = "--purge", description = "Deletes every dead letter of the service.")
  boolean purge;

  @Option(names = "--delete", paramLabel = "ID", description = "Deletes dead letter ID.")
  String delete;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100",
      description = "List at most the N oldest dead letters (default: ${DEFAULT-VALUE}).")
  int limit;

  /** Creates the command; picocli does so. */
  public DeadCommand() {}

  @Override
  protected int execute() {
    int actions = (replay != null ? 1 : 0) + (all ? 1 : 0) + (purge ? 1 : 0);
    actions += delete != null ? 1 : 0;
    if (actions > 1) {
      throw new IllegalArgumentException(
          "choose one of --replay ID, --all, --purge and --delete ID");
    }
    if (limit < 1) {
      throw new IllegalArgumentException("--limit must be at least 1: " + limit);
    }
    PrintWriter out = out();
    try (RedisRpc root = RedisRpc.create(redisUri());
        RpcRegistry registry = RpcRegistry.connect(root, timeout);
        DeadLetters dead = DeadLetters.connect(root, timeout)) {
      long count = dead.count(service);
      if (count == 0) {
        lookUp(registry, service); // a service nobody knows is a mistake, not an empty list
      }
      ObjectNode result = JsonNodeFactory.instance.objectNode();
      result.put("service", service);
      List<String> lines = new ArrayList<>();
      if (replay != null) {
        DeadLetter l = dead.replay(service, replay);
        result.putArray("replayed").add(DeadLetterView.json(l));
        lines.add("replayed dead letter " + l.id() + " of " + service + describe(l));
      } else if (all) {
        List<DeadLetter> replayed = dead.replayAll(service);
        ArrayNode array = result.putArray("replayed");
        replayed.forEach(l -> array.add(DeadLetterView.json(l)));
        long left = dead.count(service);
        result.put("left", left);
        lines.add(
            "replayed "
                + Format.count(replayed.size(), "dead letter")
                + " of "
                + service
                + (left == 0
                    ? ""
                    : "; "
                        + left
                        + " left (signed, undecodable or newer): redisrpc dead "
                        + service));
      } else if (purge) {
        long purged = dead.purge(service);
        result.put("purged", purged);
        lines.add("purged " + Format.count(purged, "dead letter") + " of " + service);
      } else if (delete != null) {
        DeadLetter l = dead.purge(service, delete);
        result.set("deleted", DeadLetterView.json(l));
        lines.add("deleted dead letter " + l.id() + " of " + service + describe(l));
      } else {
        List<DeadLetter> letters = dead.list(service, limit);
        result.put("count", count);
        ArrayNode array = result.putArray("dead_letters");
        letters.forEach(l -> array.add(DeadLetterView.json(l)));
        if (letters.isEmpty()) {
          lines.add(service + ": no dead letters");
        } else {
          lines.add(service + ": " + Format.count(count, "dead letter"));
          lines.addAll(DeadLetterView.table(letters));
          if (count > letters.size()) {
            lines.add(
                "(the oldest "
                    + letters.size()
                    + " of "
                    + count
                    + "; --limit N shows more, --json shows them in full)");
          }
        }
      }
      if (json) {
        out.println(CliJson.write(result, false));
      } else {
        lines.forEach(out::println);
      }
    }
    out.flush();
    return EXIT_OK;
  }

  private static String describe(DeadLetter l) {
    return l.method().map(m -> " (" + m + l.argumentsJson().orElse("") + ")").orElse("");
  }
}
