package io.redisrpc.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisrpc.DeadLetter;
import java.util.List;

/** Dead letters as a text table or JSON. */
final class DeadLetterView {
  private DeadLetterView() {}

  /** The table of {@code letters}: one row each, long arguments and errors cut. */
  static List<String> table(List<DeadLetter> letters) {
    Table table =
        new Table("ID", "METHOD", "DELIVERIES", "AGE", "SIGNED", "ARGUMENTS", "LAST ERROR")
            .alignRight(2, 3);
    for (DeadLetter l : letters) {
      table.add(
          l.id(),
          l.method().orElse(null),
          l.deliveries() < 0 ? null : l.deliveries(),
          Format.age(l.age()),
          l.signed() ? "yes" : "no",
          l.argumentsJson()
              .map(a -> Format.cut(a, 60))
              .orElseGet(() -> l.problem().map(p -> "(" + Format.cut(p, 58) + ")").orElse(null)),
          l.error().isEmpty() ? null : Format.cut(l.error(), 100));
    }
    return table.lines();
  }

  /** {@code l} in full, its arguments as JSON. */
  static ObjectNode json(DeadLetter l) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("id", l.id());
    node.put("partition", l.partition());
    node.put("entry_id", l.entryId());
    node.put("request_id", l.requestId());
    node.put("method", l.method().orElse(null));
    node.put("call_id", l.callId().orElse(null));
    node.put("reply_to", l.replyTo().orElse(null));
    node.put("codec", l.codec());
    node.put("deliveries", l.deliveries());
    node.put("error", l.error());
    node.put("dead_lettered_at", l.deadLetteredAt().toString());
    node.put("age_ms", l.age().toMillis());
    if (l.timeout().isPresent()) {
      node.put("timeout_ms", l.timeout().get().toMillis());
    } else {
      node.putNull("timeout_ms");
    }
    node.put("signed", l.signed());
    ObjectNode headers = node.putObject("headers");
    l.headers().forEach(headers::put);
    if (l.argumentsJson().isPresent()) {
      node.set("arguments", CliJson.parse(l.argumentsJson().get(), "arguments"));
    } else {
      node.putNull("arguments");
    }
    node.put("problem", l.problem().orElse(null));
    return node;
  }
}
