package io.redisrpc.spring.boot;

import io.redisrpc.RpcClient;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.FactoryBean;

/**
 * The bean of one {@link EnableRpcClients} proxy: creates its {@link RpcClient} through {@link
 * RpcClientFactory} when first asked, exposes the proxy as the bean, and closes the client when the
 * context closes. {@code &beanName} gives this factory bean, whose {@link #client()} is the client.
 *
 * @param <T> the service interface
 */
public class RpcClientFactoryBean<T> implements FactoryBean<T>, DisposableBean {
  private final Class<T> service;
  private final RpcClientFactory factory;
  private @Nullable RpcClient<T> client;

  /**
   * A factory bean of the proxy of {@code service}.
   *
   * @param service the service interface
   * @param factory where the client comes from
   */
  public RpcClientFactoryBean(Class<T> service, RpcClientFactory factory) {
    this.service = Objects.requireNonNull(service, "service == null");
    this.factory = Objects.requireNonNull(factory, "factory == null");
  }

  @Override
  public synchronized T getObject() {
    return client().proxy();
  }

  /** The client behind the proxy, created on first use. */
  public synchronized RpcClient<T> client() {
    if (client == null) {
      client = factory.create(service);
    }
    return client;
  }

  @Override
  public Class<T> getObjectType() {
    return service;
  }

  @Override
  public boolean isSingleton() {
    return true;
  }

  /** Closes the client: calls still waiting fail with {@code CANCELLED}. */
  @Override
  public synchronized void destroy() {
    if (client != null) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "RpcClientFactoryBean[" + service.getName() + "]";
  }
}
