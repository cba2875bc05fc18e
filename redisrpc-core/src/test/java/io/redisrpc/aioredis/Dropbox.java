package io.redisrpc.aioredis;

import io.redisrpc.Endpoint;
import io.redisrpc.RpcService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;

/** The seed README's Dropbox example as a Java interface; the Python peer serves the same one. */
@RpcService("Dropbox")
public interface Dropbox {
  /** The seed's pydantic FileData: travels as the map {name, data}. */
  record FileData(String name, byte[] data) {
    @Override
    public boolean equals(Object o) {
      return o instanceof FileData
          && ((FileData) o).name.equals(name)
          && Arrays.equals(((FileData) o).data, data);
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "FileData[" + name + ", " + Arrays.toString(data) + "]";
    }
  }

  /** A result with a UUID and a datetime, the seed's two ext types. */
  record FileTag(String name, UUID tag, Instant at, int size) {}

  @Endpoint
  int uploadFile(FileData file);

  @Endpoint
  List<String> getFileNames();

  @Endpoint
  FileData downloadFile(String name);

  @Endpoint
  FileTag tagFile(String name, UUID tag, Instant at);

  /** The Java side of the example, behaving as the seed's: at most maxFiles files. */
  final class Service implements Dropbox {
    private final Map<String, FileData> files = new LinkedHashMap<>();
    private final int maxFiles;

    public Service(int maxFiles) {
      this.maxFiles = maxFiles;
    }

    @Override
    public synchronized int uploadFile(FileData file) {
      if (files.size() >= maxFiles) {
        throw new IllegalStateException("too many files");
      }
      files.put(file.name(), file);
      return file.data().length;
    }

    @Override
    public synchronized List<String> getFileNames() {
      return new ArrayList<>(files.keySet());
    }

    @Override
    public synchronized FileData downloadFile(String name) {
      FileData file = files.get(name);
      if (file == null) {
        throw new NoSuchElementException("no file " + name);
      }
      return file;
    }

    @Override
    public synchronized FileTag tagFile(String name, UUID tag, Instant at) {
      return new FileTag(name, tag, at, downloadFile(name).data().length);
    }
  }
}
