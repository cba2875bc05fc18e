package io.redisrpc.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessagePackShapeTest {
  private static byte[] hex(String h) {
    return HexFormat.of().parseHex(h);
  }

  @Test
  void acceptsWhatJacksonWrites() throws Exception {
    ObjectMapper mapper = Mappers.msgpack();
    Object value =
        Map.of(
            "id",
            "1",
            "args",
            List.of(1, -5, 70000, 3.5, true, "x".repeat(300), new byte[70000]),
            "nested",
            Map.of("m", List.of(Map.of(), List.of())),
            "big",
            Long.MAX_VALUE);
    assertThat(MessagePackShape.isWellFormed(mapper.writeValueAsBytes(value))).isTrue();
  }

  @Test
  void refusesLengthsLongerThanTheBytesThatFollow() {
    assertThat(MessagePackShape.isWellFormed(hex("c6ffffffff00"))).isFalse(); // bin32 of 4 GiB
    assertThat(MessagePackShape.isWellFormed(hex("dbffffffff"))).isFalse(); // str32
    assertThat(MessagePackShape.isWellFormed(hex("ddffffffff01"))).isFalse(); // array32
    assertThat(MessagePackShape.isWellFormed(hex("dfffffffff"))).isFalse(); // map32
    assertThat(MessagePackShape.isWellFormed(hex("a3616263"))).isTrue(); // "abc"
    assertThat(MessagePackShape.isWellFormed(hex("a4616263"))).isFalse(); // truncated
  }

  @Test
  void refusesTrailingBytesAndTheUnusedFormat() {
    assertThat(MessagePackShape.isWellFormed(hex("0101"))).isFalse();
    assertThat(MessagePackShape.isWellFormed(hex("c1"))).isFalse();
    assertThat(MessagePackShape.isWellFormed(new byte[0])).isFalse();
    assertThat(MessagePackShape.isWellFormed(hex("920102"))).isTrue();
  }

  @Test
  void randomBytesNeverThrow() {
    Random random = new Random(7);
    for (int i = 0; i < 100_000; i++) {
      byte[] data = new byte[random.nextInt(64)];
      random.nextBytes(data);
      MessagePackShape.isWellFormed(data);
    }
  }
}
