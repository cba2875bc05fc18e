package io.redisrpc.internal.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.redisrpc.internal.proxy.MethodModel;
import java.util.List;

/** Readers and writers for one endpoint in one codec, built once instead of per call. */
public final class MethodCodec {
  final MethodModel model;
  final ObjectWriter[] argWriters;
  final ObjectReader[] argReaders;
  final ObjectWriter resultWriter;
  final ObjectReader resultReader;

  MethodCodec(MethodModel model, ObjectMapper mapper) {
    this.model = model;
    List<com.fasterxml.jackson.databind.JavaType> types = model.parameterTypes();
    this.argWriters = new ObjectWriter[types.size()];
    this.argReaders = new ObjectReader[types.size()];
    for (int i = 0; i < types.size(); i++) {
      argWriters[i] = mapper.writerFor(types.get(i));
      argReaders[i] = mapper.readerFor(types.get(i));
    }
    this.resultWriter = mapper.writerFor(model.resultType());
    this.resultReader = mapper.readerFor(model.resultType());
  }

  /** The endpoint. */
  public MethodModel model() {
    return model;
  }
}
