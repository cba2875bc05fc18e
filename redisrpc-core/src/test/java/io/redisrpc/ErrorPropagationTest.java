package io.redisrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.redisrpc.topology.OnEveryTopology;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

class ErrorPropagationTest extends OnEveryTopology {
  /** A checked exception the endpoint declares. */
  public static class QuotaException extends Exception {
    private static final long serialVersionUID = 1L;

    public QuotaException(String message) {
      super(message);
    }
  }

  /** A subclass: the caller gets the declared type. */
  public static final class DiskQuotaException extends QuotaException {
    private static final long serialVersionUID = 1L;

    public DiskQuotaException(String message) {
      super(message);
    }
  }

  @RpcService("Errors")
  public interface Failing {
    @Endpoint
    int store(String what) throws QuotaException;

    @Endpoint
    String lookup(String key);

    @Endpoint
    CompletableFuture<String> lookupAsync(String key);

    @Endpoint
    int add(int a, int b);

    @Endpoint
    String coded(String code);
  }

  /** The same service as a client that was built from a different version of the interface. */
  @RpcService("Errors")
  public interface FailingNewerClient {
    @Endpoint
    String brandNew();

    @Endpoint
    int add(String a, String b);
  }

  /** A client whose {@code add} takes one argument too many. */
  @RpcService("Errors")
  public interface FailingWrongArity {
    @Endpoint(name = "add")
    int addThree(int a, int b, int c);
  }

  static final class FailingService implements Failing {
    @Override
    public int store(String what) throws QuotaException {
      if (what.equals("disk")) {
        throw new DiskQuotaException("disk full");
      }
      throw new QuotaException("quota of " + what + " exceeded");
    }

    @Override
    public String lookup(String key) {
      throw new NoSuchElementException("no key " + key);
    }

    @Override
    public CompletableFuture<String> lookupAsync(String key) {
      return CompletableFuture.failedFuture(new IllegalStateException("not ready for " + key));
    }

    @Override
    public int add(int a, int b) {
      return a + b;
    }

    @Override
    public String coded(String code) {
      throw new RpcException(StatusCode.valueOf(code), "chosen code " + code);
    }
  }

  static RpcServer server;
  static RpcClient<Failing> client;
  static RpcClient<FailingNewerClient> newer;
  static RpcClient<FailingWrongArity> wrongArity;

  @BeforeParameterizedClassInvocation
  static void start() {
    server = RpcServer.create(Failing.class, new FailingService()).connect(uri());
    client = RpcClient.create(Failing.class).connect(uri());
    newer = RpcClient.create(FailingNewerClient.class).connect(uri());
    wrongArity = RpcClient.create(FailingWrongArity.class).connect(uri());
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    wrongArity.close();
    newer.close();
    client.close();
    server.close();
  }

  @Test
  void declaredCheckedExceptionReachesCallerAsItsType() {
    assertThatThrownBy(() -> client.proxy().store("files"))
        .isExactlyInstanceOf(QuotaException.class)
        .hasMessage("quota of files exceeded")
        .cause()
        .isInstanceOfSatisfying(
            RemoteException.class,
            remote -> {
              assertThat(remote.code()).isEqualTo(StatusCode.UNKNOWN);
              assertThat(remote.remoteType()).contains(QuotaException.class.getName());
            });
  }

  @Test
  void subclassOfDeclaredExceptionArrivesAsTheDeclaredType() {
    QuotaException e =
        catchThrowableOfType(QuotaException.class, () -> client.proxy().store("disk"));
    assertThat(e).isExactlyInstanceOf(QuotaException.class).hasMessage("disk full");
    assertThat(((RemoteException) e.getCause()).remoteType())
        .contains(DiskQuotaException.class.getName());
  }

  @Test
  void undeclaredExceptionArrivesAsRemoteExceptionWithCodeTypeAndMessage() {
    RemoteException e =
        catchThrowableOfType(RemoteException.class, () -> client.proxy().lookup("k1"));
    assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND);
    assertThat(e.remoteType()).contains("java.util.NoSuchElementException");
    assertThat(e.remoteMessage()).isEqualTo("no key k1");
    assertThat(e.method()).isEqualTo("Errors.lookup");
    assertThat(e)
        .hasMessage("NOT_FOUND: no key k1 (java.util.NoSuchElementException from Errors.lookup)");
  }

  @Test
  void failedFutureOfAsyncHandlerArrivesAsFailedFuture() {
    assertThatThrownBy(() -> client.proxy().lookupAsync("k2").get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            RemoteException.class,
            e -> {
              assertThat(e.code()).isEqualTo(StatusCode.FAILED_PRECONDITION);
              assertThat(e.remoteMessage()).isEqualTo("not ready for k2");
            });
  }

  @Test
  void rpcExceptionThrownByHandlerKeepsItsCode() {
    for (StatusCode code :
        new StatusCode[] {StatusCode.PERMISSION_DENIED, StatusCode.ALREADY_EXISTS}) {
      RemoteException e =
          catchThrowableOfType(RemoteException.class, () -> client.proxy().coded(code.name()));
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.remoteMessage()).isEqualTo("chosen code " + code.name());
      assertThat(e.remoteType()).isEmpty();
    }
  }

  @Test
  void unknownMethodIsUnimplemented() {
    RemoteException e = catchThrowableOfType(RemoteException.class, () -> newer.proxy().brandNew());
    assertThat(e.code()).isEqualTo(StatusCode.UNIMPLEMENTED);
    assertThat(e.remoteMessage()).isEqualTo("Unknown method 'brandNew'");
  }

  @Test
  void undecodableArgumentIsInvalidArgumentNamingTheParameter() {
    RemoteException e =
        catchThrowableOfType(RemoteException.class, () -> newer.proxy().add("one", "2"));
    assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
    assertThat(e.remoteMessage()).startsWith("Invalid argument 'a' of Errors.add: ");
  }

  @Test
  void wrongArgumentCountIsInvalidArgument() {
    RemoteException e =
        catchThrowableOfType(RemoteException.class, () -> wrongArity.proxy().addThree(1, 2, 3));
    assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
    assertThat(e.remoteMessage()).isEqualTo("Errors.add takes 2 argument(s), got 3");
  }

  @Test
  void serverKeepsServingAfterErrors() {
    assertThatThrownBy(() -> client.proxy().lookup("x")).isInstanceOf(RemoteException.class);
    assertThatThrownBy(() -> newer.proxy().brandNew()).isInstanceOf(RemoteException.class);
    assertThat(client.proxy().add(2, 3)).isEqualTo(5);
  }
}
