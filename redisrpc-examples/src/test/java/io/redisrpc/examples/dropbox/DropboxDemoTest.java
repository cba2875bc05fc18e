package io.redisrpc.examples.dropbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redisrpc.Codec;
import io.redisrpc.RemoteException;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.StatusCode;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@WithRedis
class DropboxDemoTest {

  @Test
  void demoPrintsTheSession(RedisProcess redis) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      DropboxDemo.run(redis.uri(), out);
    }
    String transcript = bytes.toString(StandardCharsets.UTF_8);

    assertThat(transcript.lines())
        .containsSubsequence(
            "# Dropbox server (at most 2 files) and client connected",
            "> uploadFile(file1, 4 bytes)",
            "< 4",
            "> uploadFile(file2, 5 bytes)",
            "< 5",
            "> getFileNames()",
            "< [file1, file2]",
            "> downloadFile(\"file1\")",
            "< file1, 4 bytes \"1234\", same as uploaded",
            "> countFiles()",
            "< 2",
            "> uploadFile(file3, 5 bytes)",
            "! TooManyFilesException: too many files",
            "> downloadFile(\"missing\")",
            "! RemoteException NOT_FOUND: no file named missing (java.util.NoSuchElementException)",
            "# client and server closed");
    // The failed upload printed no result.
    assertThat(transcript).doesNotContain("< 0").doesNotContain("Exception\n<");
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "msgpack"})
  void callsAndTypedErrorsOverRedis(String codec, RedisProcess redis) throws Exception {
    byte[] everyByte = new byte[256];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = (byte) i;
    }
    FileData binary = new FileData("binary", everyByte);
    try (RpcServer server =
            RpcServer.create(Dropbox.class, new DropboxService(1)).connect(redis.uri());
        RpcClient<Dropbox> client =
            RpcClient.builder(Dropbox.class)
                .codec(Codec.forName(codec))
                .timeout(Duration.ofSeconds(10))
                .build()
                .connect(redis.uri())) {
      assertThat(server.isRunning()).isTrue();
      Dropbox dropbox = client.proxy();

      assertThat(dropbox.uploadFile(binary)).isEqualTo(256);
      assertThat(dropbox.downloadFile("binary")).isEqualTo(binary).isNotSameAs(binary);
      assertThat(dropbox.getFileNames()).containsExactly("binary");
      assertThat(dropbox.countFiles().get(10, TimeUnit.SECONDS)).isEqualTo(1);
      // Replacing a file does not count against the limit.
      assertThat(dropbox.uploadFile(new FileData("binary", new byte[] {1, 2}))).isEqualTo(2);

      assertThatThrownBy(() -> dropbox.uploadFile(new FileData("other", new byte[0])))
          .isExactlyInstanceOf(TooManyFilesException.class)
          .hasMessage("too many files")
          .cause()
          .isInstanceOfSatisfying(
              RemoteException.class,
              remote -> {
                assertThat(remote.remoteType()).contains(TooManyFilesException.class.getName());
                assertThat(remote.method()).isEqualTo("Dropbox.uploadFile");
              });

      assertThatThrownBy(() -> dropbox.downloadFile("nope"))
          .isInstanceOfSatisfying(
              RemoteException.class,
              remote -> {
                assertThat(remote.code()).isEqualTo(StatusCode.NOT_FOUND);
                assertThat(remote.remoteMessage()).isEqualTo("no file named nope");
                assertThat(remote.remoteType())
                    .contains(java.util.NoSuchElementException.class.getName());
              });
      assertThat(dropbox.getFileNames()).containsExactly("binary");
    }
  }
}
