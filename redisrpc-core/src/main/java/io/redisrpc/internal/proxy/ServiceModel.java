package io.redisrpc.internal.proxy;

import io.redisrpc.CallAdapter;
import io.redisrpc.Endpoint;
import io.redisrpc.RpcService;
import io.redisrpc.internal.adapter.CallAdapters;
import io.redisrpc.internal.adapter.StreamAdapter;
import io.redisrpc.internal.transport.RedisKeys;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A service interface parsed into its endpoints. Misuse (a class instead of an interface, no
 * endpoints, overloaded endpoint names, unsupported return types) fails here, at creation, naming
 * the method.
 */
public final class ServiceModel {
  private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final Pattern ENDPOINT_NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  private final Class<?> type;
  private final String name;
  private final int partitions;
  private final Map<String, MethodModel> byName;
  private final Map<Method, MethodModel> byMethod;

  private ServiceModel(
      Class<?> type,
      String name,
      int partitions,
      Map<String, MethodModel> byName,
      Map<Method, MethodModel> byMethod) {
    this.type = type;
    this.name = name;
    this.partitions = partitions;
    this.byName = byName;
    this.byMethod = byMethod;
  }

  /**
   * Parses {@code type}, which must be an interface with at least one {@link Endpoint}, with the
   * built-in call adapters.
   */
  public static ServiceModel parse(Class<?> type) {
    return parse(type, CallAdapters.builtIn());
  }

  /**
   * Parses {@code type}, which must be an interface with at least one {@link Endpoint}, choosing
   * each endpoint's call adapter from {@code adapters}.
   */
  public static ServiceModel parse(Class<?> type, CallAdapters adapters) {
    Objects.requireNonNull(type, "service == null");
    if (!type.isInterface()) {
      throw new IllegalArgumentException(
          "Service " + type.getName() + " must be an interface with @Endpoint methods");
    }
    if (type.getTypeParameters().length > 0) {
      throw new IllegalArgumentException(
          "Service " + type.getName() + " must not have type parameters");
    }
    String name = serviceName(type);
    Map<String, MethodModel> byName = new LinkedHashMap<>();
    Map<Method, MethodModel> byMethod = new HashMap<>();
    Method[] methods = type.getMethods();
    // Deterministic order makes the overload error name the same pair every time.
    Arrays.sort(methods, Comparator.comparing(Method::toGenericString));
    for (Method method : methods) {
      Endpoint endpoint = method.getAnnotation(Endpoint.class);
      if (endpoint == null || Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      MethodModel model = parseMethod(name, type, method, endpoint, adapters);
      MethodModel clash = byName.put(model.name(), model);
      if (clash != null) {
        throw new IllegalArgumentException(
            "Overloaded endpoint name '"
                + model.name()
                + "' in "
                + name
                + ": "
                + signature(clash.method())
                + " and "
                + signature(method)
                + "; give one a distinct @Endpoint(name = ...)");
      }
      byMethod.put(method, model);
    }
    if (byName.isEmpty()) {
      throw new IllegalArgumentException("Service " + type.getName() + " has no @Endpoint methods");
    }
    return new ServiceModel(
        type,
        name,
        partitions(type),
        Collections.unmodifiableMap(byName),
        Collections.unmodifiableMap(byMethod));
  }

  private static int partitions(Class<?> type) {
    RpcService annotation = type.getAnnotation(RpcService.class);
    int n = annotation == null ? 1 : annotation.partitions();
    if (n < 1 || n > RedisKeys.MAX_PARTITIONS) {
      throw new IllegalArgumentException(
          "Invalid @RpcService(partitions = "
              + n
              + ") on "
              + type.getName()
              + ": use 1 to "
              + RedisKeys.MAX_PARTITIONS);
    }
    return n;
  }

  private static String serviceName(Class<?> type) {
    RpcService annotation = type.getAnnotation(RpcService.class);
    String name = annotation == null ? type.getSimpleName() : annotation.value();
    if (!SERVICE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Invalid service name '"
              + name
              + "' for "
              + type.getName()
              + ": use 1 to 100 letters, digits, '.', '_' or '-'");
    }
    return name;
  }

  private static MethodModel parseMethod(
      String service, Class<?> type, Method method, Endpoint endpoint, CallAdapters adapters) {
    String qualified = type.getSimpleName() + "." + method.getName();
    String name = endpoint.name().isEmpty() ? method.getName() : endpoint.name();
    if (!ENDPOINT_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Invalid endpoint name '"
              + name
              + "' for method "
              + qualified
              + ": use 1 to 200 letters, digits, '.', '_' or '-'");
    }
    if (endpoint.timeoutMillis() < 0) {
      throw new IllegalArgumentException(
          "Negative @Endpoint(timeoutMillis) for method " + qualified);
    }
    if (method.getTypeParameters().length > 0) {
      // A type variable has no type to decode into on the other side.
      throw new IllegalArgumentException(
          "Unsupported generic method " + qualified + ": endpoints cannot declare type variables");
    }
    Type returnType = method.getGenericReturnType();
    CallAdapter<?> adapter;
    try {
      adapter = adapters.get(returnType, method);
    } catch (IllegalArgumentException e) {
      throw unsupportedReturn(returnType, qualified, e.getMessage());
    }
    if (endpoint.oneWay() && adapter.resultType() != Void.class) {
      // Nobody would ever see the result.
      throw new IllegalArgumentException(
          "One-way endpoint "
              + qualified
              + " must return void or a future of Void, not "
              + returnType.getTypeName());
    }
    if (endpoint.idempotent() && adapter instanceof StreamAdapter) {
      // Run again after its server died, it would send its items twice: streams are never retried.
      throw new IllegalArgumentException(
          "Streaming endpoint "
              + qualified
              + " cannot be idempotent: a stream whose server died ends with UNAVAILABLE, and is"
              + " not run again");
    }
    Parameter[] parameters = method.getParameters();
    Type[] generic = method.getGenericParameterTypes();
    List<Type> parameterTypes = new ArrayList<>(parameters.length);
    List<String> parameterNames = new ArrayList<>(parameters.length);
    for (int i = 0; i < parameters.length; i++) {
      parameterTypes.add(generic[i]);
      parameterNames.add(parameters[i].getName());
    }
    Duration timeout =
        endpoint.timeoutMillis() == 0 ? null : Duration.ofMillis(endpoint.timeoutMillis());
    return new MethodModel(
        method,
        name,
        service + "." + name,
        List.copyOf(parameterTypes),
        List.copyOf(parameterNames),
        adapter,
        endpoint.idempotent(),
        endpoint.oneWay(),
        timeout,
        List.of(method.getExceptionTypes()));
  }

  private static IllegalArgumentException unsupportedReturn(
      Type returnType, String qualified, String why) {
    return new IllegalArgumentException(
        "Unsupported return type "
            + returnType.getTypeName()
            + " for method "
            + qualified
            + ": "
            + why);
  }

  private static String signature(Method method) {
    StringBuilder b = new StringBuilder(method.getName()).append('(');
    Class<?>[] params = method.getParameterTypes();
    for (int i = 0; i < params.length; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(params[i].getSimpleName());
    }
    return b.append(')').toString();
  }

  /** The interface. */
  public Class<?> type() {
    return type;
  }

  /** The service name, shared by clients and servers. */
  public String name() {
    return name;
  }

  /**
   * Into how many request streams the service's calls are spread ({@link RpcService#partitions}).
   */
  public int partitions() {
    return partitions;
  }

  /** The names of the service's partitions. */
  public java.util.List<RedisKeys> partitionKeys() {
    return RedisKeys.partitions(name, partitions);
  }

  /** The endpoint called {@code name} on the wire, or null. */
  public @Nullable MethodModel endpoint(String name) {
    return byName.get(name);
  }

  /** The endpoint behind {@code method}, or null if it is not an endpoint. */
  public @Nullable MethodModel endpoint(Method method) {
    return byMethod.get(method);
  }

  /** All endpoints, in a stable order. */
  public Iterable<MethodModel> endpoints() {
    return byName.values();
  }

  /**
   * Refuses a service with streaming endpoints for a protocol that has no streams.
   *
   * @throws IllegalArgumentException naming the first streaming endpoint
   */
  public void refuseStreams(String protocol) {
    for (MethodModel method : endpoints()) {
      if (method.streaming()) {
        throw new IllegalArgumentException(
            method.qualifiedName()
                + " returns a stream, which "
                + protocol
                + " cannot carry: call it over the native protocol");
      }
    }
  }
}
