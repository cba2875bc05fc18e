package io.redisrpc.examples.dropbox;

import io.redisrpc.RedisRpc;
import io.redisrpc.RemoteException;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;

/**
 * The session of aioredis-rpc's README, run against a real Redis: a {@link DropboxService} server
 * holding at most {@value #MAX_FILES} files and a client calling it through a {@link Dropbox}
 * proxy. Every call is printed with its result ({@code <}) or error ({@code !}):
 *
 * <pre>
 * &gt; uploadFile(file1, 4 bytes)
 * &lt; 4
 * ...
 * &gt; uploadFile(file3, 5 bytes)
 * ! TooManyFilesException: too many files
 * </pre>
 */
public final class DropboxDemo {
  /** The server's limit of files, as {@code create_server(Dropbox, max_files=2)} in the README. */
  public static final int MAX_FILES = 2;

  private DropboxDemo() {}

  /**
   * Runs the session against the Redis at {@code redisUri} and prints it to {@code out}. The server
   * and the client are closed before this method returns.
   *
   * @param redisUri where Redis listens: any URI of {@link RedisRpc}, e.g. {@code
   *     redis://127.0.0.1:6379} or {@code redis-cluster://127.0.0.1:7000,127.0.0.1:7001}
   * @param out where the transcript goes
   * @throws io.redisrpc.NotConnectedException when Redis cannot be reached
   * @throws IllegalArgumentException when {@code redisUri} is not a Redis URI
   * @throws IllegalStateException when the service does not behave as the example expects
   */
  public static void run(String redisUri, PrintStream out) {
    Objects.requireNonNull(redisUri, "redisUri == null");
    Objects.requireNonNull(out, "out == null");
    // One root for the server and the client: they share its connections.
    try (RedisRpc redis = RedisRpc.create(redisUri);
        RpcServer server =
            RpcServer.create(Dropbox.class, new DropboxService(MAX_FILES)).connect(redis);
        RpcClient<Dropbox> client = RpcClient.create(Dropbox.class).connect(redis)) {
      out.println(
          "# "
              + server.serviceName()
              + " server (at most "
              + MAX_FILES
              + " files) and client connected");
      session(client.proxy(), out);
    }
    out.println("# client and server closed");
  }

  private static void session(Dropbox dropbox, PrintStream out) {
    FileData file1 = file("file1", "1234");
    FileData file2 = file("file2", "hello");
    try {
      upload(dropbox, file1, out);
      upload(dropbox, file2, out);
    } catch (TooManyFilesException e) {
      throw new IllegalStateException("the first " + MAX_FILES + " uploads must fit: " + e, e);
    }

    out.println("> getFileNames()");
    List<String> names = dropbox.getFileNames();
    out.println("< " + names);

    out.println("> downloadFile(\"file1\")");
    FileData downloaded = dropbox.downloadFile("file1");
    out.println(
        "< " + describe(downloaded) + (downloaded.equals(file1) ? ", same as uploaded" : ""));

    out.println("> countFiles()");
    out.println("< " + count(dropbox));

    try {
      upload(dropbox, file("file3", "third"), out);
      throw new IllegalStateException("uploading a third file should have failed");
    } catch (TooManyFilesException e) {
      // The exception the service threw, as the type uploadFile declares.
      out.println("! " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    try {
      out.println("> downloadFile(\"missing\")");
      FileData unexpected = dropbox.downloadFile("missing");
      throw new IllegalStateException("downloading a missing file returned " + unexpected);
    } catch (RemoteException e) {
      // Undeclared exceptions arrive as RemoteException; NoSuchElementException maps to NOT_FOUND.
      out.println(
          "! "
              + e.getClass().getSimpleName()
              + " "
              + e.code()
              + ": "
              + e.remoteMessage()
              + e.remoteType().map(type -> " (" + type + ")").orElse(""));
    }
  }

  private static void upload(Dropbox dropbox, FileData file, PrintStream out)
      throws TooManyFilesException {
    out.println("> uploadFile(" + file.name() + ", " + file.size() + " bytes)");
    int size = dropbox.uploadFile(file);
    out.println("< " + size);
  }

  private static int count(Dropbox dropbox) {
    try {
      return dropbox.countFiles().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while counting files", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    }
  }

  private static FileData file(String name, String text) {
    return new FileData(name, text.getBytes(StandardCharsets.UTF_8));
  }

  private static String describe(FileData file) {
    return file.name()
        + ", "
        + file.size()
        + " bytes \""
        + new String(file.data(), StandardCharsets.UTF_8)
        + "\"";
  }
}
