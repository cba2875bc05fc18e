package io.redisrpc.codecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.redisrpc.Codec;
import io.redisrpc.DeadlineExceededException;
import io.redisrpc.Endpoint;
import io.redisrpc.JsonCodec;
import io.redisrpc.MessagePackCodec;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Codecs looked up by type: the user's Jackson mapper, and a codec of the user's own. */
@WithRedis
public class CodecTest {
  /** A service with a type of the user's codec and plain ones. */
  @RpcService("Geometry")
  public interface Geometry {
    @Endpoint
    Point move(Point point, Point by);

    @Endpoint
    Point origin();

    @Endpoint
    String describe(String shape);
  }

  /** An implementation of {@link Geometry}. */
  public static final Geometry GEOMETRY =
      new Geometry() {
        @Override
        public Point move(Point point, Point by) {
          return new Point(point.x() + by.x(), point.y() + by.y());
        }

        @Override
        public Point origin() {
          return new Point(0, 0);
        }

        @Override
        public String describe(String shape) {
          return "a " + shape;
        }
      };

  public record FileInfo(String fileName, int sizeBytes) {}

  @RpcService("Files")
  public interface Files {
    @Endpoint
    FileInfo rename(FileInfo file, String fileName);
  }

  static final Files FILES = (file, fileName) -> new FileInfo(fileName, file.sizeBytes());

  @Test
  void theJsonCodecWritesWithTheUsersMapperItsNamingStrategyIncluded(RedisProcess redis) {
    Codec snakeCase =
        JsonCodec.create(
            JsonCodec.defaultMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
    try (RpcServer server =
            RpcServer.builder(Files.class, FILES).addCodec(snakeCase).build().connect(redis.uri());
        RpcClient<Files> client =
            RpcClient.builder(Files.class).codec(snakeCase).build().connect(redis.uri())) {
      assertThat(client.proxy().rename(new FileInfo("a.txt", 4), "b.txt"))
          .isEqualTo(new FileInfo("b.txt", 4));
    }
    try (RpcClient<Files> client =
        RpcClient.builder(Files.class)
            .codec(snakeCase)
            .timeout(Duration.ofMillis(300))
            .build()
            .connect(redis.uri())) {
      CapturedRequest request =
          CapturedRequest.of(
              redis, "Files", () -> client.proxy().rename(new FileInfo("a.txt", 4), "b.txt"));
      assertThat(request.codec()).isEqualTo("json");
      assertThat(request.text())
          .contains("\"args\":[{\"file_name\":\"a.txt\",\"size_bytes\":4},\"b.txt\"]");
    }
  }

  @Test
  void aCodecOfTheUsersOwnCarriesTheEndpointsWhoseTypesItEncodesAndTheDefaultTheOthers(
      RedisProcess redis) {
    try (RpcServer server =
            RpcServer.builder(Geometry.class, GEOMETRY)
                .addCodec(new PointCodec())
                .build()
                .connect(redis.uri());
        RpcClient<Geometry> client =
            RpcClient.builder(Geometry.class)
                .addCodec(new PointCodec())
                .codec(Codec.MSGPACK)
                .build()
                .connect(redis.uri())) {
      Geometry geometry = client.proxy();
      assertThat(geometry.move(new Point(1, 2), new Point(10, 20))).isEqualTo(new Point(11, 22));
      assertThat(geometry.origin()).isEqualTo(new Point(0, 0));
      assertThat(geometry.describe("circle")).isEqualTo("a circle");
    }
    try (RpcClient<Geometry> client =
        RpcClient.builder(Geometry.class)
            .addCodec(new PointCodec())
            .timeout(Duration.ofMillis(300))
            .build()
            .connect(redis.uri())) {
      CapturedRequest move =
          CapturedRequest.of(
              redis, "Geometry", () -> client.proxy().move(new Point(1, 2), new Point(3, 4)));
      assertThat(move.codec()).isEqualTo("points");
      // The two points as MessagePack bin 8 (c4 08) of their two big-endian ints.
      assertThat(move.payload())
          .containsSubsequence(
              new byte[] {(byte) 0xc4, 8, 0, 0, 0, 1, 0, 0, 0, 2, (byte) 0xc4, 8, 0, 0, 0, 3});
      CapturedRequest describe =
          CapturedRequest.of(redis, "Geometry", () -> client.proxy().describe("circle"));
      assertThat(describe.codec()).isEqualTo("json");
    }
  }

  @Test
  void aServerThatDoesNotKnowACodecRefusesItsRequestsUnanswered(RedisProcess redis) {
    try (RpcServer server = RpcServer.create(Geometry.class, GEOMETRY).connect(redis.uri());
        RpcClient<Geometry> client =
            RpcClient.builder(Geometry.class)
                .addCodec(new PointCodec())
                .timeout(Duration.ofMillis(500))
                .build()
                .connect(redis.uri())) {
      assertThatThrownBy(() -> client.proxy().origin())
          .isInstanceOf(DeadlineExceededException.class);
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.rejectedMessages() == 1);
      assertThat(client.proxy().describe("square")).isEqualTo("a square");
    }
  }

  @Test
  void misusedCodecsFailWhereTheyAreGivenSayingWhy() {
    assertThatThrownBy(() -> JsonCodec.create(MessagePackCodec.defaultMapper()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("JsonCodec needs a mapper that writes JSON, not msgpack");
    assertThatThrownBy(() -> MessagePackCodec.create(JsonCodec.defaultMapper()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("MessagePackCodec needs a mapper on a MessagePackFactory, not JSON");
    assertThatThrownBy(() -> RpcClient.builder(Geometry.class).addCodec(new Renamed("Points!")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid codec name 'Points!' of "
                + Renamed.class.getName()
                + ": use 1 to 32 lowercase letters, digits, '.', '_', '+' or '-'");
    assertThatThrownBy(
            () ->
                RpcServer.builder(Geometry.class, GEOMETRY)
                    .addCodec(new PointCodec())
                    .addCodec(new PointCodec()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Codec 'points' was added twice");
    assertThatThrownBy(() -> RpcClient.builder(Geometry.class).codec(new PointCodec()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "No codec of the client encodes the types of method Geometry.describe: tried points");
    assertThat(Codec.forName("msgpack")).isSameAs(Codec.MSGPACK);
    assertThat(RpcClient.create(Geometry.class).codec()).isSameAs(Codec.JSON);
  }

  /** {@link PointCodec} under another name. */
  private static final class Renamed implements Codec {
    private final String name;
    private final PointCodec points = new PointCodec();

    Renamed(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public com.fasterxml.jackson.core.JsonFactory format() {
      return points.format();
    }

    @Override
    public io.redisrpc.ValueCodec<?> valueCodec(java.lang.reflect.Type type) {
      return points.valueCodec(type);
    }
  }
}
