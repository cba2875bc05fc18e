package io.redisrpc.internal.proxy;

import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parameter names are part of the wire for calls by keyword (aioredis-rpc's kwargs, the command
 * line's object arguments) and of the service descriptor; Java only keeps them when the interface
 * was compiled with {@code -parameters}.
 */
public final class ParameterNames {
  private static final Logger log = LoggerFactory.getLogger(ParameterNames.class);

  private ParameterNames() {}

  /** The endpoints of {@code model} whose parameters have no names, as {@code Service.method}. */
  public static List<String> unnamed(ServiceModel model) {
    List<String> unnamed = new ArrayList<>();
    for (MethodModel method : model.endpoints()) {
      for (Parameter parameter : method.method().getParameters()) {
        if (!parameter.isNamePresent()) {
          unnamed.add(method.qualifiedName());
          break;
        }
      }
    }
    return unnamed;
  }

  /** Warns once, at the server's creation, when some endpoints' parameters have no names. */
  public static void warnIfUnnamed(ServiceModel model) {
    List<String> unnamed = unnamed(model);
    if (!unnamed.isEmpty()) {
      log.warn(warning(model, unnamed));
    }
  }

  /** The warning for {@code unnamed} endpoints of {@code model}. */
  public static String warning(ServiceModel model, List<String> unnamed) {
    return model.type().getName()
        + " was compiled without -parameters: the parameters of "
        + String.join(", ", unnamed)
        + " are known as arg0, arg1, ..., so calls naming their arguments (aioredis-rpc keyword"
        + " arguments, redisrpc call with a JSON object) fail with \"unexpected keyword"
        + " argument\". Compile it with javac -parameters (Maven: <parameters>true</parameters>"
        + " in the maven-compiler-plugin configuration; Gradle: options.compilerArgs.add(\""
        + "-parameters\")).";
  }
}
