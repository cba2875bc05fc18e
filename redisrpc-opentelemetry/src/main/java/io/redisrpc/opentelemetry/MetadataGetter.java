package io.redisrpc.opentelemetry;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.redisrpc.Metadata;
import org.jspecify.annotations.Nullable;

/** Reads propagation fields from a call's headers. */
enum MetadataGetter implements TextMapGetter<Metadata> {
  INSTANCE;

  @Override
  public Iterable<String> keys(Metadata carrier) {
    return carrier.asMap().keySet();
  }

  @Override
  public @Nullable String get(@Nullable Metadata carrier, String key) {
    return carrier == null ? null : carrier.get(key).orElse(null);
  }
}
