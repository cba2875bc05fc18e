package io.redisrpc.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base64BytesTest {
  private final ObjectMapper ours = Mappers.json();
  private final ObjectMapper jackson = new ObjectMapper();

  @Test
  void writesTheSameTextAsJackson() throws Exception {
    Random random = new Random(7);
    for (int length = 0; length < 70; length++) {
      byte[] value = new byte[length];
      random.nextBytes(value);
      assertThat(ours.writeValueAsString(value))
          .as("length %d", length)
          .isEqualTo(jackson.writeValueAsString(value));
      assertThat(ours.writeValueAsBytes(value)).isEqualTo(jackson.writeValueAsBytes(value));
    }
  }

  @Test
  void readsWhatJacksonWrites() throws Exception {
    Random random = new Random(11);
    for (int length = 0; length < 70; length++) {
      byte[] value = new byte[length];
      random.nextBytes(value);
      assertThat(ours.readValue(jackson.writeValueAsBytes(value), byte[].class)).isEqualTo(value);
    }
  }

  @Test
  void readsWhatOnlyJacksonsDecoderAcceptsAsJacksonDoes() throws Exception {
    // Jackson's decoder skips a leading space; the JDK's refuses it.
    String json = "\" MTIzNA==\"";
    assertThat(ours.readValue(json, byte[].class))
        .isEqualTo(jackson.readValue(json, byte[].class))
        .isEqualTo(new byte[] {'1', '2', '3', '4'});
  }

  @Test
  void readsAnArrayOfNumbersAsJacksonDoes() throws Exception {
    assertThat(ours.readValue("[1,2,-1]", byte[].class)).isEqualTo(new byte[] {1, 2, -1});
  }

  @Test
  void refusesTextThatIsNotBase64() {
    assertThatThrownBy(() -> ours.readValue("\"@@@@\"", byte[].class))
        .isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void bytesInsideRecordsUseIt() throws Exception {
    record Upload(String name, byte[] data) {}
    Upload upload = new Upload("file1", new byte[] {'1', '2', '3', '4'});
    String json = ours.writeValueAsString(upload);
    assertThat(json).isEqualTo("{\"name\":\"file1\",\"data\":\"MTIzNA==\"}");
    assertThat(ours.readValue(json, Upload.class).data()).isEqualTo(upload.data());
  }
}
