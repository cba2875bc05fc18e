package io.redisrpc.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyBatchTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aBatchCarriesEachReplyAsItWasAndStartsWithAZeroByte() {
    byte[] batch = ReplyBatch.encode(List.of(bytes("{\"id\":\"1\"}"), bytes(""), bytes("{}")));
    assertThat(batch[0]).isZero();
    assertThat(ReplyBatch.isBatch(batch)).isTrue();
    List<String> out = new ArrayList<>();
    assertThat(ReplyBatch.forEach(batch, r -> out.add(new String(r, StandardCharsets.UTF_8))))
        .isTrue();
    assertThat(out).containsExactly("{\"id\":\"1\"}", "", "{}");
  }

  @Test
  void singleRepliesOfEitherCodecAreNotBatches() {
    assertThat(ReplyBatch.isBatch(bytes("{\"id\":\"1\"}"))).isFalse();
    assertThat(ReplyBatch.isBatch(new byte[] {(byte) 0x82, 1, 2})).isFalse(); // MessagePack map
    assertThat(ReplyBatch.isBatch(new byte[0])).isFalse();
  }

  @Test
  void aBatchWhoseLengthsRunPastItsEndIsRefusedWhole() {
    byte[] good = ReplyBatch.encode(List.of(bytes("{\"a\":1}"), bytes("{\"b\":2}")));
    byte[] cut = java.util.Arrays.copyOf(good, good.length - 1);
    List<byte[]> out = new ArrayList<>();
    assertThat(ReplyBatch.forEach(cut, out::add)).isFalse();
    assertThat(out).isEmpty();
    byte[] negative = {0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertThat(ReplyBatch.forEach(negative, out::add)).isFalse();
    assertThat(ReplyBatch.forEach(new byte[] {0, 0, 0}, out::add)).isFalse();
  }
}
