package io.redisrpc.internal.codec;

import io.redisrpc.Codec;
import io.redisrpc.internal.proxy.MethodModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The codecs of a client, decided once when it is built: each endpoint's own (the first added codec
 * that encodes its types, else the client's default), and every endpoint's reader and writer in
 * every codec the client knows, for calls that name another codec. Immutable.
 */
public final class ClientCodecs {
  private final Map<String, Map<MethodModel, MethodCodec>> byCodec;
  private final Map<MethodModel, MethodCodec> defaults;
  private final List<WireCodec> formats;

  private ClientCodecs(
      Map<String, Map<MethodModel, MethodCodec>> byCodec,
      Map<MethodModel, MethodCodec> defaults,
      List<WireCodec> formats) {
    this.byCodec = byCodec;
    this.defaults = defaults;
    this.formats = formats;
  }

  /**
   * The codecs of a client of {@code endpoints}: {@code added}, asked first in this order, then
   * {@code fallback}; the built-in JSON and MessagePack are known too, unless one of these has
   * their name.
   *
   * @throws IllegalArgumentException when no codec encodes an endpoint's types, naming it
   */
  public static ClientCodecs create(
      Iterable<MethodModel> endpoints, List<Codec> added, Codec fallback) {
    Map<String, WireCodec> known = new LinkedHashMap<>();
    known.put(Codec.JSON.name(), WireCodec.of(Codec.JSON));
    known.put(Codec.MSGPACK.name(), WireCodec.of(Codec.MSGPACK));
    known.put(fallback.name(), WireCodec.of(fallback));
    List<WireCodec> order = new ArrayList<>();
    for (Codec codec : added) {
      WireCodec wire = WireCodec.of(codec);
      known.put(codec.name(), wire);
      order.add(wire);
    }
    order.add(known.get(fallback.name()));
    Map<String, Map<MethodModel, MethodCodec>> byCodec = new HashMap<>();
    for (WireCodec wire : known.values()) {
      Map<MethodModel, MethodCodec> table = new HashMap<>();
      for (MethodModel endpoint : endpoints) {
        MethodCodec method = wire.methodCodec(endpoint);
        if (method != null) {
          table.put(endpoint, method);
        }
      }
      byCodec.put(wire.codec().name(), table);
    }
    Map<MethodModel, MethodCodec> defaults = new HashMap<>();
    for (MethodModel endpoint : endpoints) {
      MethodCodec chosen = null;
      for (WireCodec wire : order) {
        chosen = byCodec.get(wire.codec().name()).get(endpoint);
        if (chosen != null) {
          break;
        }
      }
      if (chosen == null) {
        List<String> names = new ArrayList<>();
        order.forEach(w -> names.add(w.codec().name()));
        throw new IllegalArgumentException(
            "No codec of the client encodes the types of method "
                + endpoint.method().getDeclaringClass().getSimpleName()
                + "."
                + endpoint.method().getName()
                + ": tried "
                + String.join(", ", names));
      }
      defaults.put(endpoint, chosen);
    }
    // Replies carry no codec name: they are read in the format that parses them.
    List<WireCodec> formats = new ArrayList<>();
    List<WireCodec> candidates = new ArrayList<>();
    candidates.add(known.get(fallback.name()));
    candidates.addAll(order);
    candidates.addAll(known.values());
    for (WireCodec wire : candidates) {
      if (formats.stream().noneMatch(f -> f.format().getClass() == wire.format().getClass())) {
        formats.add(wire);
      }
    }
    return new ClientCodecs(byCodec, defaults, List.copyOf(formats));
  }

  /** The codec {@code endpoint}'s calls are sent in, unless a call names another. */
  public @Nullable MethodCodec of(MethodModel endpoint) {
    return defaults.get(endpoint);
  }

  /**
   * {@code endpoint}'s reader and writer in the codec called {@code codec}, or null when that codec
   * does not encode its types.
   *
   * @throws IllegalArgumentException when the client knows no codec of that name
   */
  public @Nullable MethodCodec of(MethodModel endpoint, String codec) {
    Map<MethodModel, MethodCodec> table = byCodec.get(codec);
    if (table == null) {
      throw new IllegalArgumentException(unknown(codec));
    }
    return table.get(endpoint);
  }

  /** Whether the client knows the codec called {@code codec}. */
  public boolean knows(String codec) {
    return byCodec.containsKey(codec);
  }

  /** Why a codec called {@code codec} cannot be used. */
  public String unknown(String codec) {
    return "The client knows no codec '"
        + codec
        + "' (it knows "
        + String.join(", ", new java.util.TreeSet<>(byCodec.keySet()))
        + "); add it with RpcClient.Builder.addCodec";
  }

  /**
   * Decodes a reply, in whichever format of the client's codecs parses it; the result is read by
   * the pending call's own codec.
   */
  public IncomingReply decodeReply(byte[] message, Function<String, @Nullable MethodCodec> pending)
      throws MalformedMessageException {
    MalformedMessageException first = null;
    for (WireCodec format : formats) {
      try {
        return format.decodeReply(message, pending);
      } catch (MalformedMessageException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    throw first;
  }
}
