package io.redisrpc.examples.dropbox;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named file and its content, the {@code FileData} model of aioredis-rpc's README.
 *
 * <p>Unlike a plain record with an array component, two instances are equal when their names and
 * byte contents are equal, and {@link #toString()} shows the bytes. The array is copied on the way
 * in and out, so an instance cannot be changed after it is created.
 *
 * @param name the file's name
 * @param data the file's content
 */
public record FileData(String name, byte[] data) {

  /** Checks that neither component is null, and copies {@code data}. */
  public FileData {
    Objects.requireNonNull(name, "name == null");
    data = Objects.requireNonNull(data, "data == null").clone();
  }

  /** A copy of the file's content. */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /** The size of the file's content in bytes. */
  public int size() {
    return data.length;
  }

  /** Whether {@code o} is a {@code FileData} with the same name and the same bytes. */
  @Override
  public boolean equals(Object o) {
    return o == this
        || (o instanceof FileData other
            && name.equals(other.name)
            && Arrays.equals(data, other.data));
  }

  /** A hash of the name and the bytes, consistent with {@link #equals(Object)}. */
  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Arrays.hashCode(data);
  }

  /** For example {@code FileData[name=file1, data=[49, 50, 51, 52]]}. */
  @Override
  public String toString() {
    return "FileData[name=" + name + ", data=" + Arrays.toString(data) + "]";
  }
}
