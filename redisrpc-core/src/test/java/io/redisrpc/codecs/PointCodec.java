package io.redisrpc.codecs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.redisrpc.Codec;
import io.redisrpc.ValueCodec;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * A codec of the user's own, as one for Protobuf's generated types would be: it encodes {@link
 * Point}s, each as its 8 bytes, in MessagePack messages, and no other type ("not mine").
 */
// README:codec:begin
public final class PointCodec implements Codec {
  private static final ValueCodec<Point> POINTS =
      new ValueCodec<>() {
        @Override
        public void write(JsonGenerator out, @Nullable Point point) throws IOException {
          out.writeBinary(ByteBuffer.allocate(8).putInt(point.x()).putInt(point.y()).array());
        }

        @Override
        public Point read(JsonParser in) throws IOException {
          ByteBuffer bytes = ByteBuffer.wrap(in.getBinaryValue());
          return new Point(bytes.getInt(), bytes.getInt());
        }
      };

  private final JsonFactory format = new MessagePackFactory();

  @Override
  public String name() {
    return "points"; // on the wire: servers must know it
  }

  @Override
  public JsonFactory format() {
    return format;
  }

  @Override
  public @Nullable ValueCodec<?> valueCodec(Type type) {
    return type == Point.class ? POINTS : null; // null: not mine
  }
}
// README:codec:end
