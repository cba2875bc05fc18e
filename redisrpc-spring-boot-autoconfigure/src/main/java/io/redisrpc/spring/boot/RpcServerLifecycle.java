package io.redisrpc.spring.boot;

import io.redisrpc.RedisRpc;
import io.redisrpc.RpcServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Serves every {@link ServeRpc} bean: one {@link RpcServer} per service interface, connected
 * through the application's {@link RedisRpc} when the context starts, and closed (stops taking
 * calls, withdraws, finishes the calls in flight) when it stops.
 *
 * <p>Its phase is {@link #PHASE}, the phase of Spring Boot's web server graceful shutdown ({@code
 * WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE}): servers start after the web server
 * (which starts in a lower phase), and on shutdown they stop taking calls and drain at the same
 * time as the web server drains its requests, each within {@code
 * spring.lifecycle.timeout-per-shutdown-phase}, before the web server closes its connections and
 * before any bean is destroyed. The {@link RpcClientFactoryBean clients} (which handlers may use)
 * and the {@code RedisRpc} are destroyed after that, in this order.
 *
 * <p>While it serves, a non-daemon thread keeps the JVM alive, as a web server's threads do, so
 * that an application that only serves calls does not exit once started.
 */
public class RpcServerLifecycle implements SmartLifecycle, DisposableBean {
  /**
   * {@link SmartLifecycle#DEFAULT_PHASE} - 1024, as Spring Boot's {@code
   * WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE}; the web server itself starts and
   * stops in {@code DEFAULT_PHASE - 2048}.
   */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

  private static final Logger log = LoggerFactory.getLogger(RpcServerLifecycle.class);

  private final RedisRpc redis;
  private final ListableBeanFactory beans;
  private final List<RpcServerCustomizer> customizers;
  private final Duration shutdownTimeout;
  private final List<RpcServer> servers = new ArrayList<>();
  private @Nullable CompletableFuture<Void> stopping;
  private @Nullable CountDownLatch keepAlive;
  private volatile boolean running;

  /**
   * Serves the {@link ServeRpc} beans of {@code beans} through {@code redis}.
   *
   * @param redis the application's root
   * @param beans where the {@link ServeRpc} beans are looked up
   * @param customizers applied in this order to every server builder
   * @param shutdownTimeout how long the servers may take to finish their calls on shutdown; {@link
   *     #destroy()} waits that long (and a little more) for them before the root may close
   */
  public RpcServerLifecycle(
      RedisRpc redis,
      ListableBeanFactory beans,
      List<RpcServerCustomizer> customizers,
      Duration shutdownTimeout) {
    this.redis = Objects.requireNonNull(redis, "redis == null");
    this.beans = Objects.requireNonNull(beans, "beans == null");
    this.customizers = List.copyOf(customizers);
    this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout == null");
  }

  /** Builds and connects a server for each service interface of each {@link ServeRpc} bean. */
  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    awaitStopped();
    List<RpcServer> started = new ArrayList<>();
    try {
      for (String name : beans.getBeanNamesForAnnotation(ServeRpc.class)) {
        ServeRpc annotation = beans.findAnnotationOnBean(name, ServeRpc.class);
        Object bean = beans.getBean(name);
        for (Class<?> service : services(name, bean, annotation)) {
          started.add(serve(service, bean));
        }
      }
    } catch (RuntimeException | Error e) {
      started.forEach(RpcServer::close);
      throw e;
    }
    servers.addAll(started);
    running = true;
    if (!started.isEmpty()) {
      keepAlive = keepAlive();
      log.info("Serving {} through {}", started, redis);
    }
  }

  /** A non-daemon thread that lives until the latch returned is counted down. */
  private static CountDownLatch keepAlive() {
    CountDownLatch released = new CountDownLatch(1);
    Thread thread =
        new Thread(
            () -> {
              try {
                released.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "redisrpc-keep-alive");
    thread.setDaemon(false);
    thread.start();
    return released;
  }

  private <T> RpcServer serve(Class<T> service, Object bean) {
    RpcServer.Builder<T> builder = RpcServer.builder(service, service.cast(bean));
    for (RpcServerCustomizer customizer : customizers) {
      customizer.customize(builder, service);
    }
    return builder.build().connect(redis);
  }

  private static List<Class<?>> services(String name, Object bean, @Nullable ServeRpc annotation) {
    Class<?> type = AopUtils.getTargetClass(bean);
    List<Class<?>> services = new ArrayList<>();
    if (annotation != null && annotation.value().length > 0) {
      for (Class<?> service : annotation.value()) {
        if (!RpcServiceInterfaces.isServiceInterface(service) || !service.isInstance(bean)) {
          throw new IllegalStateException(
              "@ServeRpc bean '"
                  + name
                  + "' ("
                  + type.getName()
                  + "): "
                  + service.getName()
                  + " is not a service interface it implements");
        }
        services.add(service);
      }
      return services;
    }
    for (Class<?> service : RpcServiceInterfaces.implementedBy(type)) {
      if (service.isInstance(bean)) {
        services.add(service);
      }
    }
    if (services.isEmpty()) {
      throw new IllegalStateException(
          "@ServeRpc bean '"
              + name
              + "' ("
              + type.getName()
              + ") implements no service interface (an interface with @RpcService or @Endpoint"
              + " methods)");
    }
    return services;
  }

  /** Closes the servers, one thread each, and returns once all are closed. */
  @Override
  public void stop() {
    stop(() -> {});
    awaitStopped();
  }

  /**
   * Stops taking calls at once and closes the servers in the background, all at the same time;
   * {@code callback} runs once every server has finished its calls (or its shutdown timeout
   * passed).
   */
  @Override
  public synchronized void stop(Runnable callback) {
    if (!running) {
      callback.run();
      return;
    }
    running = false;
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (RpcServer server : servers) {
      CompletableFuture<Void> closed = new CompletableFuture<>();
      Thread thread =
          new Thread(
              () -> {
                try {
                  server.close();
                } catch (RuntimeException e) {
                  log.warn("Closing {} failed", server, e);
                } finally {
                  closed.complete(null);
                }
              },
              "redisrpc-stop-" + server.serviceName());
      thread.setDaemon(true);
      thread.start();
      closing.add(closed);
    }
    servers.clear();
    CountDownLatch released = keepAlive;
    keepAlive = null;
    stopping = CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new));
    stopping.whenComplete(
        (ignored, e) -> {
          if (released != null) {
            released.countDown();
          }
          callback.run();
        });
  }

  /**
   * Waits for servers still closing (the lifecycle processor stops waiting after {@code
   * spring.lifecycle.timeout-per-shutdown-phase}), so that the {@link RedisRpc}, destroyed after
   * this bean, closes after them.
   */
  @Override
  public void destroy() {
    stop(() -> {});
    awaitStopped();
  }

  private void awaitStopped() {
    CompletableFuture<Void> pending;
    synchronized (this) {
      pending = stopping;
    }
    if (pending == null) {
      return;
    }
    try {
      pending.get(shutdownTimeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("redisrpc servers still closing after {}", shutdownTimeout, e);
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  /** The servers serving now; empty before the context started and after it stopped. */
  public synchronized List<RpcServer> servers() {
    return List.copyOf(servers);
  }

  /** The root the servers connect through. */
  public RedisRpc redisRpc() {
    return redis;
  }
}
