package io.redisrpc.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

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
