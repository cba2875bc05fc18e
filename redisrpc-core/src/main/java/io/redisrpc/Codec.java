package io.redisrpc;

import java.util.Objects;

/**
 * How arguments and results are encoded on the wire. Each request names its codec, and servers
 * answer in the codec of the request, so one server serves clients of every codec.
 */
public final class Codec {
  /** JSON text: readable with redis-cli, and the easiest for other languages. */
  public static final Codec JSON = new Codec("json");

  /** MessagePack: smaller and faster to encode; byte arrays travel as raw binary. */
  public static final Codec MSGPACK = new Codec("msgpack");

  private final String name;

  private Codec(String name) {
    this.name = name;
  }

  /** The codec called {@code name} on the wire ({@code json} or {@code msgpack}). */
  public static Codec forName(String name) {
    Objects.requireNonNull(name, "name == null");
    if (name.equals(JSON.name)) {
      return JSON;
    }
    if (name.equals(MSGPACK.name)) {
      return MSGPACK;
    }
    throw new IllegalArgumentException("Unknown codec '" + name + "': use json or msgpack");
  }

  /** The codec's name as it appears on the wire. */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }
}
