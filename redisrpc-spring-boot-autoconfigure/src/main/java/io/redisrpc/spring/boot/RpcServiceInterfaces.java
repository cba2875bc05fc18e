package io.redisrpc.spring.boot;

import io.redisrpc.Endpoint;
import io.redisrpc.RpcService;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.springframework.util.ClassUtils;

/** What makes an interface a redisrpc service interface, and its service name. */
public final class RpcServiceInterfaces {
  private RpcServiceInterfaces() {}

  /**
   * Whether {@code type} is a service interface: an interface annotated with {@link RpcService} or
   * declaring at least one {@link Endpoint} method.
   */
  public static boolean isServiceInterface(Class<?> type) {
    if (!type.isInterface() || type.isAnnotation()) {
      return false;
    }
    if (type.isAnnotationPresent(RpcService.class)) {
      return true;
    }
    for (Method method : type.getMethods()) {
      if (method.isAnnotationPresent(Endpoint.class)) {
        return true;
      }
    }
    return false;
  }

  /** The service name of {@code service}: its {@link RpcService} name, else its simple name. */
  public static String serviceName(Class<?> service) {
    RpcService annotation = service.getAnnotation(RpcService.class);
    return annotation != null ? annotation.value() : service.getSimpleName();
  }

  /** The service interfaces that {@code type} implements, in a stable order. */
  public static List<Class<?>> implementedBy(Class<?> type) {
    List<Class<?>> services = new ArrayList<>();
    for (Class<?> candidate : ClassUtils.getAllInterfacesForClassAsSet(type)) {
      if (isServiceInterface(candidate)) {
        services.add(candidate);
      }
    }
    services.sort((a, b) -> a.getName().compareTo(b.getName()));
    return services;
  }
}
