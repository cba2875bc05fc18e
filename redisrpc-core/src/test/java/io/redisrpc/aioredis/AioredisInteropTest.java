package io.redisrpc.aioredis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.redisrpc.DeadlineExceededException;
import io.redisrpc.Endpoint;
import io.redisrpc.Protocol;
import io.redisrpc.RemoteException;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.StatusCode;
import io.redisrpc.aioredis.Dropbox.FileData;
import io.redisrpc.aioredis.Dropbox.FileTag;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Java and a Python peer written like aioredis-rpc 1.1.0 (src/test/resources/aioredis_peer.py), as
 * separate processes on one real Redis: a Java client calls the Python server, a Python client
 * calls the Java server, errors go both ways, and every message each side receives packs back to
 * the same bytes in Python. Skipped, with the reason printed, where /usr/bin/python3 lacks msgpack
 * or redis.asyncio.
 */
@WithRedis
class AioredisInteropTest {
  static final Duration STARTUP = Duration.ofSeconds(30);
  static final Duration SCENARIO = Duration.ofSeconds(60);
  static final UUID TAG = UUID.fromString("12345678-1234-5678-9abc-def012345678");
  static final Instant AT = Instant.parse("2023-11-14T22:13:20.500Z");

  /** A newer Java interface with a method the Python server does not have. */
  @RpcService("Dropbox")
  public interface DropboxWithDelete {
    @Endpoint
    List<String> getFileNames();

    @Endpoint(timeoutMillis = 500)
    boolean deleteFile(String name);
  }

  @BeforeEach
  void python() {
    PythonPeer.assumeAvailable();
  }

  @Test
  void pythonPacksTheGoldenVectorsToTheSameBytes() throws Exception {
    try (PythonPeer peer = PythonPeer.start("repack")) {
      peer.await("ready", STARTUP);
      AioredisWireFormatTest.ALL.forEach((label, hex) -> peer.send(label + " " + hex));
      peer.closeInput();
      peer.await("done", SCENARIO);
      Map<String, JsonNode> repacked = new HashMap<>();
      for (JsonNode event : peer.seen("repack")) {
        repacked.put(event.get("label").asText(), event);
      }
      assertThat(repacked).containsOnlyKeys(AioredisWireFormatTest.ALL.keySet());
      repacked.forEach(
          (label, event) ->
              assertThat(event.path("hex").asText())
                  .as("%s repacked by Python (%s)", label, event.path("error").asText())
                  .isEqualTo(AioredisWireFormatTest.ALL.get(label)));
      assertThat(peer.awaitExit(STARTUP)).isZero();
    }
  }

  @Test
  void javaClientCallsPythonServer(RedisProcess redis) throws Exception {
    String queue = "dropbox_" + UUID.randomUUID();
    try (PythonPeer peer = PythonPeer.start("server", redis.uri(), queue)) {
      peer.await("ready", STARTUP);
      try (RpcClient<Dropbox> client =
              RpcClient.builder(Dropbox.class)
                  .protocol(Protocol.aioredisRpc(queue))
                  .build()
                  .connect(redis.uri());
          RpcClient<DropboxWithDelete> newer =
              RpcClient.builder(DropboxWithDelete.class)
                  .protocol(Protocol.aioredisRpc(queue))
                  .build()
                  .connect(redis.uri())) {
        Dropbox box = client.proxy();
        byte[] data = "1234".getBytes(StandardCharsets.US_ASCII);
        assertThat(box.uploadFile(new FileData("file1", data))).isEqualTo(4);
        assertThat(box.uploadFile(new FileData("file2", new byte[] {0, (byte) 0xff}))).isEqualTo(2);

        // raise Exception('too many files') in Python
        RemoteException tooMany =
            catchThrowableOfType(
                RemoteException.class, () -> box.uploadFile(new FileData("file3", new byte[0])));
        assertThat(tooMany.code()).isEqualTo(StatusCode.UNKNOWN);
        assertThat(tooMany.remoteType()).contains("Exception");
        assertThat(tooMany.remoteMessage()).isEqualTo("too many files");
        assertThat(tooMany)
            .hasMessage("UNKNOWN: too many files (Exception from Dropbox.uploadFile)");

        assertThat(box.getFileNames()).containsExactly("file1", "file2");
        assertThat(box.downloadFile("file1")).isEqualTo(new FileData("file1", data));

        RemoteException missing =
            catchThrowableOfType(RemoteException.class, () -> box.downloadFile("nope"));
        assertThat(missing.remoteType()).contains("KeyError");
        assertThat(missing.remoteMessage()).isEqualTo("'nope'");

        // UUID and datetime both ways: ext types 25 and 23.
        assertThat(box.tagFile("file1", TAG, AT)).isEqualTo(new FileTag("file1", TAG, AT, 4));

        // The seed's server does not answer an unknown method: the caller times out.
        assertThat(newer.proxy().getFileNames()).containsExactly("file1", "file2");
        assertThatThrownBy(() -> newer.proxy().deleteFile("file1"))
            .isInstanceOf(DeadlineExceededException.class)
            .hasMessageContaining("timed out after 500 ms");
        assertThat(newer.pendingCalls()).isZero();
        assertThat(peer.await("unknown", SCENARIO).path("name").asText()).isEqualTo("delete_file");
        assertThat(client.pendingCalls()).isZero();
      }
      List<JsonNode> requests = peer.seen("request");
      assertThat(requests).hasSize(9);
      for (JsonNode request : requests) {
        assertThat(request.path("exact").asBoolean())
            .as("Python packs %s back to the bytes Java sent", request)
            .isTrue();
        assertThat(request.path("kwargs")).isEmpty();
        assertThat(request.path("reply_to").asText()).matches("rpc_client\\.[0-9a-f]{32}");
        assertThat(request.path("id").asText()).matches("[0-9a-f]{12}1[0-9a-f]{19}");
      }
      assertThat(peer.stderr()).doesNotContain("Traceback").doesNotContain("repacks differently");
    }
  }

  @Test
  void pythonClientCallsJavaServer(RedisProcess redis) throws Exception {
    String queue = "dropbox_" + UUID.randomUUID();
    try (RpcServer server =
            RpcServer.builder(Dropbox.class, new Dropbox.Service(2))
                .protocol(Protocol.aioredisRpc(queue))
                .build()
                .connect(redis.uri());
        PythonPeer peer = PythonPeer.start("client", redis.uri(), queue)) {
      JsonNode done = peer.await("done", SCENARIO);
      Map<String, JsonNode> steps = new HashMap<>();
      for (JsonNode step : peer.seen("step")) {
        steps.put(step.get("step").asText(), step);
      }

      assertThat(steps.get("upload_file1").path("result").asInt()).isEqualTo(4);
      assertThat(steps.get("upload_file2_kwargs").path("result").asInt()).isEqualTo(2);
      assertThat(steps.get("upload_file3_too_many").path("error").asText())
          .isEqualTo("Remote RPC error: IllegalStateException too many files (from upload_file)");
      assertThat(steps.get("get_file_names").path("result").toString())
          .isEqualTo("[\"file1\",\"file2\"]");
      assertThat(steps.get("download_file1").path("result").toString())
          .isEqualTo("{\"data\":{\"bytes\":\"31323334\"},\"name\":\"file1\"}");
      assertThat(steps.get("download_missing_kwargs").path("error").asText())
          .isEqualTo(
              "Remote RPC error: NoSuchElementException no file missing (from download_file)");
      JsonNode tagged = steps.get("tag_file1").path("result");
      assertThat(tagged.path("name").asText()).isEqualTo("file1");
      assertThat(tagged.path("tag").path("uuid").asText()).isEqualTo(TAG.toString());
      assertThat(tagged.path("at").path("timestamp").asDouble()).isEqualTo(1_700_000_000.5);
      assertThat(tagged.path("size").asInt()).isEqualTo(4);
      // Unlike a Python server, the Java server answers an unknown method.
      assertThat(steps.get("unknown_method").path("error").asText())
          .isEqualTo(
              "Remote RPC error: NotImplementedError 'delete_file' is not an endpoint of Dropbox"
                  + " (from delete_file)");
      assertThat(steps.get("too_many_args").path("error").asText())
          .isEqualTo(
              "Remote RPC error: TypeError download_file() takes 1 positional argument(s) but 2"
                  + " were given (from download_file)");
      assertThat(steps).hasSize(9);
      assertThat(done.path("inexact")).as("replies Python packs differently").isEmpty();
      assertThat(peer.awaitExit(STARTUP)).isZero();
      assertThat(server.rejectedMessages()).isZero();
      await().atMost(Duration.ofSeconds(10)).until(() -> server.inFlight() == 0);
      assertThat(peer.stderr()).doesNotContain("Traceback");
    }
  }
}
