package io.redisrpc.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redisrpc.Codec;
import io.redisrpc.Endpoint;
import io.redisrpc.Metadata;
import io.redisrpc.RpcService;
import io.redisrpc.internal.codec.MalformedMessageException;
import io.redisrpc.internal.codec.MethodCodec;
import io.redisrpc.internal.codec.WireCodec;
import io.redisrpc.internal.proxy.ServiceModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** docs/PROTOCOL.md says what the code does: its scripts, their digests, its test vectors. */
class ProtocolDocumentTest {
  private static final Path DOCUMENT = Path.of("..", "docs", "PROTOCOL.md");

  private static String document() throws Exception {
    return Files.readString(DOCUMENT, StandardCharsets.UTF_8);
  }

  /** The service of the one-way example. */
  @RpcService("Audit")
  public interface Audit {
    @Endpoint(oneWay = true)
    void record(String event);
  }

  @Test
  void theOneWayRequestExampleIsWhatTheClientSendsAndTheServerReadsAsOneWay() throws Exception {
    WireCodec json = WireCodec.of(Codec.JSON);
    MethodCodec record = json.methodCodec(ServiceModel.parse(Audit.class).endpoint("record"));
    byte[] request =
        json.encodeRequest(
            "7-2d3k9x0q7hz1a",
            "rpc:{Audit}:reply:3f0c9d2e7a1b4c5d8e9f00112233aabb",
            record,
            10000,
            -1,
            Metadata.empty(),
            null,
            true,
            0,
            new Object[] {"login"});
    String text = new String(request, StandardCharsets.UTF_8);
    assertThat(document()).contains("```json\n" + text + "\n```");
    assertThat(json.decodeRequest(request, name -> record).oneWay()).isTrue();
    byte[] plain =
        json.encodeRequest(
            "8",
            "rpc:{Audit}:reply:c",
            record,
            10000,
            -1,
            Metadata.empty(),
            null,
            false,
            0,
            new Object[] {"x"});
    assertThat(new String(plain, StandardCharsets.UTF_8)).doesNotContain("one_way");
    assertThat(json.decodeRequest(plain, name -> record).oneWay()).isFalse();
    byte[] wrongType =
        text.replace("\"one_way\":true", "\"one_way\":1").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> json.decodeRequest(wrongType, name -> record))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("one_way must be a boolean");
  }

  @Test
  void everyScriptIsQuotedVerbatimWithItsDigest() throws Exception {
    String text = document();
    for (Script script : Scripts.ALL) {
      assertThat(text).as(script.name).contains("```lua\n" + script.source + "```");
      assertThat(text).as(script.name).contains(script.sha);
    }
  }

  @Test
  void signatureTestVectorsAreWhatTheSignerComputes() throws Exception {
    MessageSigner signer =
        new MessageSigner("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    String payload =
        "{\"v\":2,\"id\":\"1\",\"reply_to\":\"rpc:{Dropbox}:reply:cli1\",\"method\":\"uploadFile\","
            + "\"timeout_ms\":10000,\"sent_at_ms\":1795568867923,"
            + "\"args\":[{\"name\":\"file1\",\"data\":\"MTIzNA==\"}]}";
    String request =
        HexFormat.of()
            .formatHex(
                signer.signRequest(
                    "rpc:{Dropbox}:requests",
                    "json".getBytes(StandardCharsets.UTF_8),
                    payload.getBytes(StandardCharsets.UTF_8)));
    byte[] reply =
        MessageSigner.frame(
            signer,
            "rpc:{Dropbox}:reply:cli1",
            "{\"id\":\"1\",\"result\":4}".getBytes(StandardCharsets.UTF_8));
    byte[] notice =
        MessageSigner.frame(
            signer,
            "rpc:{Dropbox}:cancel",
            "rpc:{Dropbox}:reply:cli1 1".getBytes(StandardCharsets.UTF_8));
    assertThat(document())
        .contains("`" + payload + "`")
        .contains("`" + request + "`")
        .contains("`" + HexFormat.of().formatHex(reply, 0, 32) + "`")
        .contains("`" + HexFormat.of().formatHex(notice, 0, 32) + "`");
  }

  @Test
  void aFramedMessageVerifiesOnItsOwnChannelOnly() {
    MessageSigner signer =
        new MessageSigner("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    byte[] message = "{\"id\":\"1-x\",\"result\":4}".getBytes(StandardCharsets.UTF_8);
    byte[] framed = MessageSigner.frame(signer, "rpc:{S}:reply:a", message);
    assertThat(MessageSigner.unframe(signer, "rpc:{S}:reply:a", framed)).isEqualTo(message);
    assertThat(MessageSigner.unframe(signer, "rpc:{S}:reply:b", framed)).isNull();
  }
}
