package io.redisrpc;

import com.fasterxml.jackson.core.JsonFactory;
import java.lang.reflect.Type;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How messages, and the arguments and results in them, are encoded on the wire. A codec names
 * itself ({@link #name()}, in every request), writes and reads the messages through a Jackson
 * format ({@link #format()}), and encodes the values of the types it knows ({@link
 * #valueCodec(Type)}), answering null for the others, as Retrofit's {@code Converter.Factory} does.
 *
 * <p>Built in: {@link #JSON} and {@link #MSGPACK}, and {@link
 * JsonCodec#create(com.fasterxml.jackson .databind.ObjectMapper)} and {@link
 * MessagePackCodec#create(com.fasterxml.jackson.databind .ObjectMapper)} with a mapper of yours.
 * Each endpoint's codec is decided once, when a client is built: the first of the codecs added with
 * {@link RpcClient.Builder#addCodec} that encodes all its parameter and result types, else the
 * client's {@link RpcClient.Builder#codec}. A server answers each request in the codec it names,
 * which it must know ({@link RpcServer.Builder#addCodec}; JSON and MessagePack by default); a
 * request in a codec it does not know is refused unanswered.
 */
public interface Codec {
  /** JSON text: readable with redis-cli, and the easiest for other languages. */
  Codec JSON = JsonCodec.create();

  /** MessagePack: smaller and faster to encode; byte arrays travel as raw binary. */
  Codec MSGPACK = MessagePackCodec.create();

  /**
   * The codec's name on the wire: 1 to 32 lowercase letters, digits, {@code .}, {@code _}, {@code
   * +} or {@code -}. {@code json} and {@code msgpack} are the built-in ones'.
   */
  String name();

  /**
   * The Jackson format the messages are written in, field by field (docs/PROTOCOL.md, sections 5
   * and 6): JSON's {@code JsonFactory}, MessagePack's {@code MessagePackFactory}, or another.
   */
  JsonFactory format();

  /**
   * How values of {@code type} are written and read, or null when this codec does not encode them.
   * Asked once per parameter and result type of each endpoint, when a client or server is built.
   */
  @Nullable ValueCodec<?> valueCodec(Type type);

  /** The built-in codec called {@code name} on the wire ({@code json} or {@code msgpack}). */
  static Codec forName(String name) {
    Objects.requireNonNull(name, "name == null");
    if (name.equals(JSON.name())) {
      return JSON;
    }
    if (name.equals(MSGPACK.name())) {
      return MSGPACK;
    }
    throw new IllegalArgumentException("Unknown codec '" + name + "': use json or msgpack");
  }
}
