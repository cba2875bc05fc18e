package io.redisrpc.examples.dropbox;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server side of {@link Dropbox}: files in memory, at most {@link #maxFiles()} of them.
 *
 * <p>Thread-safe: the server runs calls concurrently. Reads never block; uploads are serialised so
 * that the limit holds. Replacing a stored file by one of the same name does not count against the
 * limit.
 */
public final class DropboxService implements Dropbox {
  /** The limit of {@link #DropboxService()}, as in the README's {@code max_files: int = 1000}. */
  public static final int DEFAULT_MAX_FILES = 1000;

  private final Map<String, FileData> files = new ConcurrentHashMap<>();
  private final Object uploadLock = new Object();
  private final int maxFiles;

  /** A Dropbox holding at most {@value #DEFAULT_MAX_FILES} files. */
  public DropboxService() {
    this(DEFAULT_MAX_FILES);
  }

  /**
   * A Dropbox holding at most {@code maxFiles} files.
   *
   * @throws IllegalArgumentException when {@code maxFiles} is negative
   */
  public DropboxService(int maxFiles) {
    if (maxFiles < 0) {
      throw new IllegalArgumentException("maxFiles must not be negative: " + maxFiles);
    }
    this.maxFiles = maxFiles;
  }

  /** The most files this Dropbox holds. */
  public int maxFiles() {
    return maxFiles;
  }

  @Override
  public int uploadFile(FileData file) throws TooManyFilesException {
    if (file == null) {
      throw new IllegalArgumentException("file must not be null");
    }
    synchronized (uploadLock) {
      if (files.size() >= maxFiles && !files.containsKey(file.name())) {
        throw new TooManyFilesException();
      }
      files.put(file.name(), file);
    }
    return file.size();
  }

  @Override
  public List<String> getFileNames() {
    return files.keySet().stream().sorted().toList();
  }

  @Override
  public FileData downloadFile(String name) {
    if (name == null) {
      throw new IllegalArgumentException("name must not be null");
    }
    FileData file = files.get(name);
    if (file == null) {
      throw new NoSuchElementException("no file named " + name);
    }
    return file;
  }

  @Override
  public CompletableFuture<Integer> countFiles() {
    return CompletableFuture.completedFuture(files.size());
  }
}
