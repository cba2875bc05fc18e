package io.redisrpc.internal.codec;

import io.redisrpc.Codec;
import io.redisrpc.ValueCodec;
import io.redisrpc.internal.proxy.MethodModel;
import java.lang.reflect.Type;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Readers and writers for one endpoint in one codec, built once instead of per call. */
public final class MethodCodec {
  final MethodModel model;
  final WireCodec wire;
  final ValueCodec<Object>[] args;
  final @Nullable ValueCodec<Object> result;
  final @Nullable String refusal;

  private MethodCodec(
      MethodModel model,
      WireCodec wire,
      ValueCodec<Object>[] args,
      @Nullable ValueCodec<Object> result,
      @Nullable String refusal) {
    this.model = model;
    this.wire = wire;
    this.args = args;
    this.result = result;
    this.refusal = refusal;
  }

  /**
   * For a server: {@code model} in a codec that does not encode it. Requests of it in that codec
   * are answered {@code INVALID_ARGUMENT} with {@code why}, and never run.
   */
  public static MethodCodec refusing(MethodModel model, WireCodec wire, String why) {
    @SuppressWarnings("unchecked")
    ValueCodec<Object>[] none = new ValueCodec[0];
    return new MethodCodec(model, wire, none, null, why);
  }

  /**
   * The codec of {@code model} in {@code codec}, or null when {@code codec} does not encode one of
   * its parameter types or its result type.
   */
  static @Nullable MethodCodec of(MethodModel model, WireCodec wire) {
    Codec codec = wire.codec();
    List<Type> parameters = model.parameterTypes();
    @SuppressWarnings("unchecked")
    ValueCodec<Object>[] args = new ValueCodec[parameters.size()];
    for (int i = 0; i < args.length; i++) {
      args[i] = cast(codec.valueCodec(parameters.get(i)));
      if (args[i] == null) {
        return null;
      }
    }
    ValueCodec<Object> result = null;
    if (!model.voidResult()) {
      result = cast(codec.valueCodec(model.resultType()));
      if (result == null) {
        return null;
      }
    }
    return new MethodCodec(model, wire, args, result, null);
  }

  @SuppressWarnings("unchecked")
  private static @Nullable ValueCodec<Object> cast(@Nullable ValueCodec<?> codec) {
    return (ValueCodec<Object>) codec;
  }

  /** The endpoint. */
  public MethodModel model() {
    return model;
  }

  /** The codec. */
  public WireCodec wire() {
    return wire;
  }
}
