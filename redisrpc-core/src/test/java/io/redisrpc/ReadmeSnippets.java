package io.redisrpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The lines of a test source between {@code // README:name:begin} and {@code // README:name:end},
 * unindented as far as the begin marker is indented: what README.md must show verbatim.
 */
final class ReadmeSnippets {
  private static final Path TESTS = Path.of("src/test/java/io/redisrpc");

  private ReadmeSnippets() {}

  /** The snippet {@code name} of {@code file}, relative to this package's test sources. */
  static String snippet(String file, String name) {
    String source;
    try {
      source = Files.readString(TESTS.resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String begin = "// README:" + name + ":begin\n";
    int start = source.indexOf(begin);
    int end = source.indexOf("// README:" + name + ":end");
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("no snippet " + name + " in " + file);
    }
    int indent = start - source.lastIndexOf('\n', start) - 1;
    String body = source.substring(start + begin.length(), source.lastIndexOf('\n', end) + 1);
    return Arrays.stream(body.split("\n"))
        .map(line -> line.substring(Math.min(indent, line.length())))
        .collect(Collectors.joining("\n", "", "\n"));
  }

  /** README.md of the repository. */
  static String readme() {
    try {
      return Files.readString(Path.of("../README.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
