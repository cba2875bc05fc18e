package io.redisrpc.internal.dispatch;

import io.redisrpc.RpcException;
import io.redisrpc.StatusCode;
import io.redisrpc.internal.proxy.MethodModel;
import io.redisrpc.internal.proxy.ServiceModel;
import jakarta.validation.Configuration;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.executable.ExecutableValidator;
import jakarta.validation.metadata.MethodDescriptor;
import jakarta.validation.metadata.ParameterDescriptor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the Bean Validation (Jakarta Validation) constraints of an endpoint's arguments on the
 * server, before its handler runs, as pydantic checks the arguments of the Python seed.
 *
 * <p>The constraints are those of the service interface: on the parameters of its methods
 * ({@code @NotBlank String name}), and through {@code @Valid} on the components and fields of the
 * arguments ({@code @Valid FileData file}, {@code List<@Valid FileData> files}). Constraints an
 * implementation class adds are not read: the interface is the contract a caller sees. A violation
 * becomes an {@link RpcException} with {@link StatusCode#INVALID_ARGUMENT} naming each path: {@code
 * Invalid arguments for Dropbox.uploadFile: file.name: must not be blank}.
 *
 * <p>Validation is optional. When {@code jakarta.validation} is not on the class path, or no
 * provider is, every argument list passes: none of the Jakarta or Hibernate classes is loaded then.
 * Messages are interpolated without Jakarta Expression Language (with Hibernate Validator's {@code
 * ParameterMessageInterpolator}), so no EL implementation is needed.
 *
 * <p>Built once per server; thread-safe.
 */
public final class ArgumentValidator {
  private static final Logger log = LoggerFactory.getLogger(ArgumentValidator.class);

  private final @Nullable Engine engine;

  /** A validator of the endpoints of {@code model}; a no-op when Bean Validation is absent. */
  public ArgumentValidator(ServiceModel model) {
    this.engine = Support.API ? Engine.create(model) : null;
  }

  /** Whether this validator checks anything at all. */
  public boolean enabled() {
    return engine != null;
  }

  /**
   * The error for the arguments of a call to {@code method}, or null when they satisfy every
   * constraint (or Bean Validation is absent, or the method has no constraints).
   */
  public @Nullable RpcException validate(MethodModel method, @Nullable Object @Nullable [] args) {
    Engine e = engine;
    return e == null ? null : e.validate(method, args);
  }

  /** Whether the Jakarta Validation API is on the class path, found once. */
  private static final class Support {
    static final boolean API = present("jakarta.validation.Validation");

    /** Whether Hibernate Validator's interpolator without Expression Language is present. */
    static final boolean EL_FREE_INTERPOLATOR =
        API && present("org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator");

    private static boolean present(String className) {
      try {
        Class.forName(className, false, ArgumentValidator.class.getClassLoader());
        return true;
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
    }
  }

  /** The part that uses the Jakarta classes, loaded only when they are present. */
  private static final class Engine {
    private final ExecutableValidator validator;

    /** A stand-in instance of each interface declaring a constrained endpoint. */
    private final Map<Method, Object> constrained;

    private Engine(ExecutableValidator validator, Map<Method, Object> constrained) {
      this.validator = validator;
      this.constrained = constrained;
    }

    static @Nullable Engine create(ServiceModel model) {
      ValidatorFactory factory;
      try {
        Configuration<?> config = Validation.byDefaultProvider().configure();
        if (Support.EL_FREE_INTERPOLATOR) {
          config.messageInterpolator(new ParameterMessageInterpolator());
        }
        factory = config.buildValidatorFactory();
      } catch (RuntimeException e) {
        log.warn(
            "Arguments of {} are not validated: no usable Bean Validation provider ({})",
            model.name(),
            e.toString());
        return null;
      }
      jakarta.validation.Validator beans = factory.getValidator();
      Map<Method, Object> constrained = new HashMap<>();
      Map<Class<?>, Object> standIns = new HashMap<>();
      for (MethodModel endpoint : model.endpoints()) {
        Method method = endpoint.method();
        MethodDescriptor descriptor;
        try {
          descriptor =
              beans
                  .getConstraintsForClass(method.getDeclaringClass())
                  .getConstraintsForMethod(method.getName(), method.getParameterTypes());
        } catch (RuntimeException e) {
          throw new IllegalArgumentException(
              "Invalid Bean Validation constraints on " + endpoint.qualifiedName(), e);
        }
        if (descriptor != null && hasParameterConstraints(descriptor)) {
          constrained.put(
              method, standIns.computeIfAbsent(method.getDeclaringClass(), Engine::standIn));
        }
      }
      if (constrained.isEmpty()) {
        factory.close();
        return null;
      }
      return new Engine(beans.forExecutables(), Map.copyOf(constrained));
    }

    private static boolean hasParameterConstraints(MethodDescriptor descriptor) {
      if (descriptor.hasConstrainedParameters()) {
        return true;
      }
      for (ParameterDescriptor parameter : descriptor.getParameterDescriptors()) {
        if (!parameter.getConstrainedContainerElementTypes().isEmpty()) {
          return true;
        }
      }
      return false;
    }

    /**
     * An instance of {@code type} whose class has no constraints of its own, so that the validator
     * reads those of the interface only and never runs into the rules about constraints on
     * overriding methods of an implementation. Its methods are never called.
     */
    private static Object standIn(Class<?> type) {
      return Proxy.newProxyInstance(
          type.getClassLoader(),
          new Class<?>[] {type},
          (proxy, method, args) -> {
            switch (method.getName()) {
              case "hashCode":
                return System.identityHashCode(proxy);
              case "equals":
                return proxy == args[0];
              case "toString":
                return "validation stand-in for " + type.getName();
              default:
                throw new UnsupportedOperationException(method.getName());
            }
          });
    }

    @Nullable RpcException validate(MethodModel method, @Nullable Object @Nullable [] args) {
      Object standIn = constrained.get(method.method());
      if (standIn == null) {
        return null;
      }
      Object[] values = args == null ? new Object[0] : args;
      Set<ConstraintViolation<Object>> violations;
      try {
        violations = validator.validateParameters(standIn, method.method(), values);
      } catch (RuntimeException e) {
        return new RpcException(
            StatusCode.INTERNAL,
            "Cannot validate the arguments of " + method.qualifiedName() + ": " + e.getMessage(),
            e);
      }
      if (violations.isEmpty()) {
        return null;
      }
      Set<String> problems = new HashSet<>();
      for (ConstraintViolation<Object> violation : violations) {
        String path = path(violation.getPropertyPath());
        String message = violation.getMessage();
        problems.add(path.isEmpty() ? message : path + ": " + message);
      }
      List<String> sorted = new ArrayList<>(problems);
      sorted.sort(null);
      return new RpcException(
          StatusCode.INVALID_ARGUMENT,
          "Invalid arguments for " + method.qualifiedName() + ": " + String.join("; ", sorted));
    }

    /**
     * {@code file.name}, {@code files[0].name}, {@code tags[2]}: the parameter's name (from {@code
     * -parameters}), then properties, with the index or key of each element of a container.
     */
    private static String path(Path path) {
      StringBuilder out = new StringBuilder();
      for (Path.Node node : path) {
        ElementKind kind = node.getKind();
        if (kind == ElementKind.METHOD
            || kind == ElementKind.CONSTRUCTOR
            || kind == ElementKind.CROSS_PARAMETER
            || kind == ElementKind.RETURN_VALUE) {
          continue;
        }
        if (node.isInIterable()) {
          Object at = node.getIndex() != null ? node.getIndex() : node.getKey();
          out.append('[').append(at == null ? "" : at).append(']');
        }
        String name = node.getName();
        if (name != null && !name.isEmpty() && !name.startsWith("<")) {
          if (out.length() > 0) {
            out.append('.');
          }
          out.append(name);
        }
      }
      return out.toString();
    }
  }
}
