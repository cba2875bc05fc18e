package io.redisrpc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@WithRedis
class RedisProcessTest {

  private static RedisProcess fromBeforeAll;

  private final RedisProcess fromConstructor;
  private RedisProcess fromBeforeEach;

  RedisProcessTest(RedisProcess redis) {
    this.fromConstructor = redis;
  }

  @BeforeAll
  static void beforeAll(RedisProcess redis) {
    fromBeforeAll = redis;
  }

  @BeforeEach
  void beforeEach(RedisProcess redis) {
    fromBeforeEach = redis;
  }

  @Test
  void injectedServerAnswersPing(RedisProcess redis) throws IOException {
    assertThat(redis).isSameAs(fromConstructor).isSameAs(fromBeforeEach).isSameAs(fromBeforeAll);
    assertThat(redis.isRunning()).isTrue();
    assertThat(redis.host()).isEqualTo("127.0.0.1");
    assertThat(redis.port()).isPositive().isNotEqualTo(6379);
    assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
    assertThat(Resp.call(redis.port(), "PING")).isEqualTo("PONG");
  }

  @Test
  void restartLosesDataAndKeepsPort(RedisProcess redis) throws IOException {
    int port = redis.port();
    try (Resp resp = Resp.connect(port)) {
      assertThat(resp.command("SET", "restart-key", "value")).isEqualTo("OK");
      assertThat(resp.command("GET", "restart-key")).isEqualTo("value");
    }

    redis.restart();

    assertThat(redis.port()).isEqualTo(port);
    assertThat(redis.isRunning()).isTrue();
    assertThat(Resp.call(port, "GET", "restart-key")).isNull();
    assertThat(Resp.call(port, "PING")).isEqualTo("PONG");
  }

  @Test
  void killMakesIsRunningFalseAndRestartRevives() throws IOException {
    try (RedisProcess redis = RedisProcess.start()) {
      assertThat(redis.isRunning()).isTrue();

      redis.kill();

      assertThat(redis.isRunning()).isFalse();
      assertThatThrownBy(() -> Resp.call(redis.port(), "PING")).isInstanceOf(IOException.class);

      redis.restart();
      assertThat(redis.isRunning()).isTrue();
      assertThat(Resp.call(redis.port(), "PING")).isEqualTo("PONG");
    }
  }

  @Test
  void stopThenCloseDeletesFilesAndForbidsRestart() throws IOException {
    RedisProcess redis = RedisProcess.start();
    Path directory = redis.logFile().getParent();
    assertThat(redis.logFile()).exists();

    redis.stop();
    assertThat(redis.isRunning()).isFalse();
    redis.stop();

    redis.close();
    redis.close();
    assertThat(directory).doesNotExist();
    assertThatThrownBy(redis::restart)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void requirepassYieldsNoauth() throws IOException {
    try (RedisProcess redis = RedisProcess.start("--requirepass", "pw");
        Resp resp = Resp.connect(redis.port())) {
      assertThat(resp.command("PING")).startsWith("-NOAUTH");
      assertThat(resp.command("AUTH", "pw")).isEqualTo("OK");
      assertThat(resp.command("PING")).isEqualTo("PONG");
    }
  }

  @Test
  void callerChosenPortIsUsed() throws IOException {
    int port = RedisProcess.freePort();
    try (RedisProcess redis = RedisProcess.start("--port", Integer.toString(port))) {
      assertThat(redis.port()).isEqualTo(port);
      assertThat(Resp.call(port, "PING")).isEqualTo("PONG");
    }
  }

  @Test
  void embeddedBinaryAnswersPing() throws IOException {
    Path embedded = RedisProcess.embeddedBinary();
    assertThat(embedded.getFileName().toString()).startsWith("redisrpc-redis-server-");
    assertThat(RedisProcess.embeddedBinary()).isEqualTo(embedded);

    try (RedisProcess redis = RedisProcess.start(embedded)) {
      assertThat(Resp.call(redis.port(), "PING")).isEqualTo("PONG");
      assertThat(Resp.call(redis.port(), "INFO", "server")).contains("executable:" + embedded);
    }
  }

  @Test
  void systemPropertyEmbeddedSelectsTheBundledBinary() throws IOException {
    String previous = System.getProperty(RedisProcess.BINARY_PROPERTY);
    System.setProperty(RedisProcess.BINARY_PROPERTY, "embedded");
    try (RedisProcess redis = RedisProcess.start()) {
      assertThat(RedisProcess.binary()).isEqualTo(RedisProcess.embeddedBinary());
      assertThat(Resp.call(redis.port(), "INFO", "server"))
          .contains("executable:" + RedisProcess.embeddedBinary());
    } finally {
      if (previous == null) {
        System.clearProperty(RedisProcess.BINARY_PROPERTY);
      } else {
        System.setProperty(RedisProcess.BINARY_PROPERTY, previous);
      }
    }
  }

  @Test
  void failedStartReportsTheLogTail() {
    assertThatThrownBy(() -> RedisProcess.start("--no-such-option", "x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not start after 1 attempt(s)")
        .hasMessageContaining("no-such-option")
        .hasMessageContaining("tail of")
        .hasMessageContaining("FATAL CONFIG");
  }

  @Test
  void rejectsNullsAndBadPorts() {
    assertThatThrownBy(() -> RedisProcess.start((String[]) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("extraArgs == null");
    assertThatThrownBy(() -> RedisProcess.start("--requirepass", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("extraArgs[1] == null");
    assertThatThrownBy(() -> RedisProcess.start("--port", "nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--port");
    assertThatThrownBy(() -> RedisProcess.start("--port"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--port");
  }

  @Test
  void binaryResolutionOrder(@TempDir Path dir) throws IOException {
    Path fake = dir.resolve("redis-server");
    Files.writeString(fake, "#!/bin/sh\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    Path other = dir.resolve("other-redis");
    Files.copy(fake, other);

    // PATH lookup, then the bundled binary
    assertThat(RedisProcess.resolveBinary(null, null, "/no/such/dir:" + dir)).isEqualTo(fake);
    assertThat(RedisProcess.resolveBinary(" ", "", "/no/such/dir"))
        .isEqualTo(RedisProcess.embeddedBinary());
    assertThat(RedisProcess.resolveBinary(null, null, null))
        .isEqualTo(RedisProcess.embeddedBinary());
    // the environment variable beats PATH, the system property beats both
    assertThat(RedisProcess.resolveBinary(null, other.toString(), dir.toString())).isEqualTo(other);
    assertThat(RedisProcess.resolveBinary(null, "other-redis", dir.toString())).isEqualTo(other);
    assertThat(RedisProcess.resolveBinary(fake.toString(), other.toString(), null)).isEqualTo(fake);
    assertThat(RedisProcess.resolveBinary("EMBEDDED", other.toString(), dir.toString()))
        .isEqualTo(RedisProcess.embeddedBinary());
    assertThat(RedisProcess.resolveBinary(null, "embedded", dir.toString()))
        .isEqualTo(RedisProcess.embeddedBinary());
    assertThatThrownBy(
            () -> RedisProcess.resolveBinary(dir.resolve("missing").toString(), null, null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(RedisProcess.BINARY_PROPERTY);
    assertThatThrownBy(() -> RedisProcess.resolveBinary(null, "missing-redis", dir.toString()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(RedisProcess.BINARY_ENV);
  }

  @Test
  void binaryOnThisMachineIsExecutable() {
    assertThat(Files.isExecutable(RedisProcess.binary())).isTrue();
  }

  @Test
  void bundledBinaryNames() {
    String[][] cases = {
      {"Linux", "amd64", "redis-server-6.2.6-v5-linux-amd64"},
      {"Linux", "x86_64", "redis-server-6.2.6-v5-linux-amd64"},
      {"Linux", "aarch64", "redis-server-6.2.7-linux-arm64"},
      {"Linux", "i386", "redis-server-6.2.7-linux-386"},
      {"Mac OS X", "x86_64", "redis-server-6.2.6-v5-darwin-amd64"},
      {"Mac OS X", "aarch64", "redis-server-6.2.6-v5-darwin-arm64"},
    };
    for (String[] c : cases) {
      String name = RedisProcess.embeddedResourceName(c[0], c[1]);
      assertThat(name).isEqualTo(c[2]);
      assertThat(RedisProcess.class.getClassLoader().getResource(name)).as(name).isNotNull();
    }
    assertThatThrownBy(() -> RedisProcess.embeddedResourceName("Windows 11", "amd64"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("os.name='Windows 11'")
        .hasMessageContaining(RedisProcess.BINARY_ENV);
    assertThatThrownBy(() -> RedisProcess.embeddedResourceName("Linux", "riscv64"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("riscv64");
  }
}
