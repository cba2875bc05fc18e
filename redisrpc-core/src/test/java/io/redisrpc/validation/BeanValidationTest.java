package io.redisrpc.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.redisrpc.Endpoint;
import io.redisrpc.RemoteException;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import io.redisrpc.StatusCode;
import io.redisrpc.testing.RedisProcess;
import io.redisrpc.testing.WithRedis;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bean Validation constraints of the service interface are checked on the server before the handler
 * runs, and violations reach the caller as INVALID_ARGUMENT naming each path.
 */
@WithRedis
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BeanValidationTest {
  /** A file to upload: a record whose components carry constraints. */
  public record FileData(@NotBlank String name, @Size(min = 1, max = 1048576) byte[] data) {}

  @RpcService("Dropbox")
  public interface Dropbox {
    @Endpoint
    String createFolder(@NotBlank String name);

    @Endpoint
    String rename(@NotBlank String from, @NotNull @Size(max = 8) String to);

    @Endpoint
    int uploadFile(@Valid FileData file);

    @Endpoint
    int uploadFiles(@NotNull List<@Valid FileData> files);

    @Endpoint
    CompletableFuture<Integer> uploadFileAsync(@Valid FileData file);

    @Endpoint
    String echo(String anything);
  }

  /** Counts the calls that reached a handler. */
  static final class CountingDropbox implements Dropbox {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public String createFolder(String name) {
      calls.incrementAndGet();
      return "/" + name;
    }

    @Override
    public String rename(String from, String to) {
      calls.incrementAndGet();
      return from + "->" + to;
    }

    @Override
    public int uploadFile(FileData file) {
      calls.incrementAndGet();
      return file.data().length;
    }

    @Override
    public int uploadFiles(List<FileData> files) {
      calls.incrementAndGet();
      return files.stream().mapToInt(f -> f.data().length).sum();
    }

    @Override
    public CompletableFuture<Integer> uploadFileAsync(FileData file) {
      calls.incrementAndGet();
      return CompletableFuture.completedFuture(file.data().length);
    }

    @Override
    public String echo(String anything) {
      calls.incrementAndGet();
      return anything;
    }
  }

  static final CountingDropbox service = new CountingDropbox();
  static RpcServer server;
  static RpcClient<Dropbox> client;

  @BeforeAll
  static void start(RedisProcess redis) {
    server = RpcServer.create(Dropbox.class, service).connect(redis.uri());
    client = RpcClient.create(Dropbox.class).connect(redis.uri());
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @BeforeEach
  void resetCount() {
    service.calls.set(0);
  }

  private static RemoteException invalid(Runnable call) {
    RemoteException e = catchThrowableOfType(RemoteException.class, call::run);
    assertThat(e).as("the call fails with a RemoteException").isNotNull();
    assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
    assertThat(e.remoteType()).isEmpty();
    return e;
  }

  @Test
  void invalidParameterIsRejectedNamingTheParameter() {
    RemoteException e = invalid(() -> client.proxy().createFolder("  "));
    assertThat(e.remoteMessage())
        .isEqualTo("Invalid arguments for Dropbox.createFolder: name: must not be blank");
    assertThat(e.method()).isEqualTo("Dropbox.createFolder");
    assertThat(service.calls).hasValue(0);
  }

  @Test
  void everyInvalidParameterIsListed() {
    RemoteException e = invalid(() -> client.proxy().rename("", "far-too-long"));
    assertThat(e.remoteMessage())
        .isEqualTo(
            "Invalid arguments for Dropbox.rename: from: must not be blank; "
                + "to: size must be between 0 and 8");
    e = invalid(() -> client.proxy().rename("a", null));
    assertThat(e.remoteMessage())
        .isEqualTo("Invalid arguments for Dropbox.rename: to: must not be null");
    assertThat(service.calls).hasValue(0);
  }

  @Test
  void invalidRecordComponentsAreRejectedWithTheirPaths() {
    RemoteException e = invalid(() -> client.proxy().uploadFile(new FileData(" ", new byte[0])));
    assertThat(e.remoteMessage())
        .isEqualTo(
            "Invalid arguments for Dropbox.uploadFile: "
                + "file.data: size must be between 1 and 1048576; file.name: must not be blank");
    assertThat(service.calls).hasValue(0);
  }

  @Test
  void invalidRecordOfAnAsyncEndpointFailsTheFuture() {
    CompletableFuture<Integer> result =
        client.proxy().uploadFileAsync(new FileData("ok.txt", new byte[0]));
    assertThat(result)
        .failsWithin(30, TimeUnit.SECONDS)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(
            RemoteException.class,
            e -> {
              assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
              assertThat(e.remoteMessage())
                  .isEqualTo(
                      "Invalid arguments for Dropbox.uploadFileAsync: "
                          + "file.data: size must be between 1 and 1048576");
            });
    assertThat(service.calls).hasValue(0);
  }

  @Test
  void invalidListElementsAreRejectedWithTheirIndexes() {
    List<FileData> files =
        List.of(
            new FileData("a.txt", new byte[] {1}),
            new FileData("b.txt", new byte[0]),
            new FileData("", new byte[] {2}));
    RemoteException e = invalid(() -> client.proxy().uploadFiles(files));
    assertThat(e.remoteMessage())
        .isEqualTo(
            "Invalid arguments for Dropbox.uploadFiles: "
                + "files[1].data: size must be between 1 and 1048576; "
                + "files[2].name: must not be blank");
    e = invalid(() -> client.proxy().uploadFiles(null));
    assertThat(e.remoteMessage())
        .isEqualTo("Invalid arguments for Dropbox.uploadFiles: files: must not be null");
    assertThat(service.calls).hasValue(0);
  }

  @Test
  void validArgumentsReachTheHandler() {
    Dropbox dropbox = client.proxy();
    assertThat(dropbox.createFolder("docs")).isEqualTo("/docs");
    assertThat(dropbox.rename("a", "b")).isEqualTo("a->b");
    assertThat(dropbox.uploadFile(new FileData("a.txt", new byte[] {1, 2, 3}))).isEqualTo(3);
    assertThat(
            dropbox.uploadFiles(
                List.of(
                    new FileData("a.txt", new byte[] {1}),
                    new FileData("b.txt", new byte[] {1, 2}))))
        .isEqualTo(3);
    assertThat(dropbox.uploadFiles(List.of())).isZero();
    assertThat(dropbox.uploadFileAsync(new FileData("c.txt", new byte[] {9})))
        .succeedsWithin(30, TimeUnit.SECONDS)
        .isEqualTo(1);
    assertThat(dropbox.echo("")).isEmpty();
    assertThat(service.calls).hasValue(7);
  }
}
