package io.redisrpc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarProcessTest {
  @TempDir static Path dir;
  private static Path jar;

  /** The jar's main class: prints its arguments, then does what the first one says. */
  public static final class Tool {
    public static void main(String[] args) throws InterruptedException {
      System.out.println(String.join(" ", args));
      System.err.println("TOOL_VAR=" + System.getenv("TOOL_VAR"));
      System.err.println("tool.property=" + System.getProperty("tool.property"));
      if (args.length > 0 && args[0].equals("hang")) {
        // The child process hangs on purpose, to be killed by the limit.
        TimeUnit.MINUTES.sleep(5);
      }
      System.exit(args.length > 0 && args[0].startsWith("exit") ? Integer.parseInt(args[1]) : 0);
    }
  }

  /** A jar holding nothing but a manifest whose Main-Class is {@link Tool} in the test classes. */
  @BeforeAll
  static void makeJar() throws IOException, URISyntaxException {
    Path classes = Path.of(Tool.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Tool.class.getName());
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classes.toUri().toString());
    jar = dir.resolve("tool.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      out.finish();
    }
  }

  @Test
  void returnsTheExitCodeAndBothOutputs() {
    JarProcess.Run run = JarProcess.of(jar).run("exit", "3");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.out()).isEqualTo("exit 3\n");
    assertThat(run.err()).contains("tool.property=null");
    assertThat(run.toString()).startsWith("exit 3\n--- out:\nexit 3\n--- err:\n");
  }

  @Test
  void setsAndRemovesEnvironmentVariablesAndPassesJvmOptions() {
    JarProcess tool = JarProcess.of(jar).env("TOOL_VAR", "one").jvmOptions("-Dtool.property=two");

    JarProcess.Run set = tool.run("a", "b c");
    assertThat(set.exitCode()).as(set.toString()).isZero();
    assertThat(set.out()).isEqualTo("a b c\n");
    assertThat(set.err()).contains("TOOL_VAR=one", "tool.property=two");

    JarProcess.Run removed = tool.env("TOOL_VAR", null).run();
    assertThat(removed.err()).contains("TOOL_VAR=null");
  }

  @Test
  void killsAProcessThatOutlivesItsLimit() {
    long started = System.nanoTime();

    assertThatThrownBy(() -> JarProcess.of(jar).limit(Duration.ofSeconds(2)).run("hang"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("hang did not end within PT2S")
        .hasMessageContaining("--- out:\nhang\n");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void rejectsANonPositiveLimit() {
    assertThatThrownBy(() -> JarProcess.of(jar).limit(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
