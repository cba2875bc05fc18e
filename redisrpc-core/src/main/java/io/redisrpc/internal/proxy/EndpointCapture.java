package io.redisrpc.internal.proxy;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Which endpoint, with which arguments, a piece of code calls on a service proxy, found by running
 * it on a proxy that only records: how a broadcast names its call with the interface's own types.
 *
 * @param endpoint the endpoint called
 * @param arguments its arguments
 */
record EndpointCapture(MethodModel endpoint, List<@Nullable Object> arguments) {
  private static final Map<Class<?>, Object> ZEROS =
      Map.of(
          boolean.class,
          false,
          byte.class,
          (byte) 0,
          short.class,
          (short) 0,
          char.class,
          (char) 0,
          int.class,
          0,
          long.class,
          0L,
          float.class,
          0f,
          double.class,
          0d);

  /**
   * The one endpoint call {@code code} makes on a recording proxy of {@code model}'s interface.
   *
   * @throws IllegalArgumentException when it calls no endpoint, or more than one
   */
  static EndpointCapture of(ServiceModel model, Consumer<Object> code) {
    List<EndpointCapture> calls = new ArrayList<>(1);
    Class<?> type = model.type();
    Object recorder =
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              MethodModel endpoint = model.endpoint(method);
              if (endpoint == null) {
                throw new UnsupportedOperationException(
                    signature(model, method) + " is not an @Endpoint and cannot be broadcast");
              }
              calls.add(
                  new EndpointCapture(
                      endpoint, args == null ? List.of() : Arrays.asList(args.clone())));
              // What the code gets back is never used: the answers come with the broadcast.
              return ZEROS.get(method.getReturnType());
            });
    code.accept(recorder);
    if (calls.size() != 1) {
      throw new IllegalArgumentException(
          "A broadcast makes exactly one endpoint call on the proxy it is given, not "
              + calls.size());
    }
    return calls.get(0);
  }

  private static String signature(ServiceModel model, Method method) {
    return model.type().getSimpleName() + "." + method.getName();
  }
}
