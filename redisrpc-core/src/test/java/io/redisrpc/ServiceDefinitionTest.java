package io.redisrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ServiceDefinitionTest {
  public interface Dropbox {
    @Endpoint
    int upload(String name);

    @Endpoint
    int upload(byte[] data);
  }

  public interface Renamed {
    @Endpoint
    int upload(String name);

    @Endpoint(name = "uploadBytes")
    int upload(byte[] data);

    default String describe() {
      return "local " + localOnly();
    }

    String localOnly();
  }

  public interface FutureReturn {
    @Endpoint
    Future<String> upload();
  }

  @SuppressWarnings("rawtypes")
  public interface RawFuture {
    @Endpoint
    CompletableFuture upload();
  }

  public interface Generic {
    @Endpoint
    <T> T upload(T value);
  }

  public interface Nothing {
    String notAnEndpoint();
  }

  @RpcService("bad{name}")
  public interface BadName {
    @Endpoint
    void ping();
  }

  public abstract static class NotAnInterface {
    @Endpoint
    public abstract void ping();
  }

  @Test
  void overloadedEndpointNamesAreRejectedAtCreation() {
    assertThatThrownBy(() -> RpcClient.create(Dropbox.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Overloaded endpoint name 'upload' in Dropbox: upload(byte[]) and upload(String);"
                + " give one a distinct @Endpoint(name = ...)");
    assertThatThrownBy(
            () ->
                RpcServer.create(
                    Dropbox.class,
                    new Dropbox() {
                      public int upload(String name) {
                        return 0;
                      }

                      public int upload(byte[] data) {
                        return 0;
                      }
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Overloaded endpoint name 'upload' in Dropbox");
  }

  @Test
  void unsupportedReturnTypesAreRejectedNamingTheMethod() {
    assertThatThrownBy(() -> RpcClient.create(FutureReturn.class))
        .hasMessage(
            "Unsupported return type java.util.concurrent.Future<java.lang.String> for method"
                + " FutureReturn.upload: use T, void, CompletableFuture<T> or CompletionStage<T>");
    assertThatThrownBy(() -> RpcClient.create(RawFuture.class))
        .hasMessage(
            "Unsupported return type java.util.concurrent.CompletableFuture for method"
                + " RawFuture.upload: CompletableFuture needs a type argument");
    assertThatThrownBy(() -> RpcClient.create(Generic.class))
        .hasMessage(
            "Unsupported generic method Generic.upload: endpoints cannot declare type variables");
  }

  @Test
  void servicesMustBeInterfacesWithEndpointsAndValidNames() {
    assertThatThrownBy(() -> RpcClient.create(NotAnInterface.class))
        .hasMessage(
            "Service "
                + NotAnInterface.class.getName()
                + " must be an interface with @Endpoint methods");
    assertThatThrownBy(() -> RpcClient.create(Nothing.class))
        .hasMessage("Service " + Nothing.class.getName() + " has no @Endpoint methods");
    assertThatThrownBy(() -> RpcClient.create(BadName.class))
        .hasMessageStartingWith("Invalid service name 'bad{name}'");
  }

  @Test
  void nonEndpointMethodOfProxyThrowsUnsupportedOperation() {
    Renamed proxy = RpcClient.create(Renamed.class).proxy();
    assertThatThrownBy(proxy::localOnly)
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage("Renamed.localOnly is not an @Endpoint and cannot be called remotely");
    // Default methods run locally, on the proxy.
    assertThatThrownBy(proxy::describe).isInstanceOf(UnsupportedOperationException.class);
    assertThat(proxy.toString()).isEqualTo("RpcClient proxy of Renamed");
    assertThat(proxy).isEqualTo(proxy);
  }

  @Test
  void builderOptionsAreValidated() {
    assertThatThrownBy(() -> RpcClient.builder(Renamed.class).timeout(java.time.Duration.ZERO))
        .hasMessage("timeout must be positive: PT0S");
    assertThatThrownBy(() -> RpcServer.builder(Renamed.class, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("implementation == null");
    assertThatThrownBy(
            () -> RpcServer.builder(Nothing.class, (Nothing) () -> "x").maxConcurrency(0))
        .hasMessage("maxConcurrency must be positive: 0");
    assertThat(List.of(Codec.forName("json"), Codec.forName("msgpack")))
        .containsExactly(Codec.JSON, Codec.MSGPACK);
  }
}
