package io.redisrpc.examples.dropbox;

import io.redisrpc.Endpoint;
import io.redisrpc.RpcService;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

/**
 * A tiny file store, the {@code Dropbox} service of aioredis-rpc's README. {@link DropboxService}
 * implements it on the server; clients call it through {@code RpcClient.create(Dropbox.class)}.
 */
@RpcService("Dropbox")
public interface Dropbox {

  /**
   * Stores {@code file}, replacing a file of the same name.
   *
   * @return the number of bytes stored
   * @throws TooManyFilesException when the Dropbox is full; it reaches remote callers as such
   */
  @Endpoint
  int uploadFile(FileData file) throws TooManyFilesException;

  /** The names of the stored files, in alphabetical order. */
  @Endpoint(idempotent = true)
  List<String> getFileNames();

  /**
   * The file named {@code name}.
   *
   * @throws NoSuchElementException when there is none; remote callers receive a {@link
   *     io.redisrpc.RemoteException} with code {@link io.redisrpc.StatusCode#NOT_FOUND}
   */
  @Endpoint(idempotent = true)
  FileData downloadFile(String name);

  /** The number of stored files, computed asynchronously. */
  @Endpoint(idempotent = true)
  CompletableFuture<Integer> countFiles();
}
