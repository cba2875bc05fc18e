package io.redisrpc.spring.boot;

import io.redisrpc.Endpoint;
import io.redisrpc.RpcService;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Registers an {@link RpcClientFactoryBean} for each service interface that an {@link
 * EnableRpcClients} names or finds.
 */
class RpcClientsRegistrar
    implements ImportBeanDefinitionRegistrar, ResourceLoaderAware, EnvironmentAware {
  private ResourceLoader resourceLoader;
  private Environment environment;

  @Override
  public void setResourceLoader(ResourceLoader resourceLoader) {
    this.resourceLoader = resourceLoader;
  }

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata importingClass, BeanDefinitionRegistry registry) {
    Map<String, Object> attributes =
        importingClass.getAnnotationAttributes(EnableRpcClients.class.getName());
    if (attributes == null) {
      return;
    }
    boolean primary = (Boolean) attributes.get("primary");
    ClassLoader classLoader = resourceLoader.getClassLoader();
    Set<String> interfaces = new LinkedHashSet<>();
    for (Class<?> client : (Class<?>[]) attributes.get("clients")) {
      interfaces.add(client.getName());
    }
    Set<String> packages = new LinkedHashSet<>();
    for (String pkg : (String[]) attributes.get("basePackages")) {
      if (!pkg.isBlank()) {
        packages.add(pkg.strip());
      }
    }
    for (Class<?> type : (Class<?>[]) attributes.get("basePackageClasses")) {
      packages.add(ClassUtils.getPackageName(type));
    }
    if (packages.isEmpty() && interfaces.isEmpty()) {
      packages.add(ClassUtils.getPackageName(importingClass.getClassName()));
    }
    ClassPathScanningCandidateComponentProvider scanner = scanner();
    for (String pkg : packages) {
      for (BeanDefinition candidate : scanner.findCandidateComponents(pkg)) {
        interfaces.add(candidate.getBeanClassName());
      }
    }
    for (String name : interfaces) {
      Class<?> service = ClassUtils.resolveClassName(name, classLoader);
      if (!RpcServiceInterfaces.isServiceInterface(service)) {
        throw new IllegalArgumentException(
            "@EnableRpcClients on "
                + importingClass.getClassName()
                + ": "
                + name
                + " is not a service interface (an interface with @RpcService or @Endpoint"
                + " methods)");
      }
      register(service, primary, registry);
    }
  }

  private static void register(Class<?> service, boolean primary, BeanDefinitionRegistry registry) {
    String beanName = service.getName();
    if (registry.containsBeanDefinition(beanName)) {
      return; // named by two @EnableRpcClients: one client is enough
    }
    RootBeanDefinition definition = new RootBeanDefinition(RpcClientFactoryBean.class);
    definition.getConstructorArgumentValues().addIndexedArgumentValue(0, service);
    definition
        .getConstructorArgumentValues()
        .addIndexedArgumentValue(1, new RuntimeBeanReference(RpcClientFactory.class));
    definition.setAttribute(FactoryBean.OBJECT_TYPE_ATTRIBUTE, service);
    definition.setPrimary(primary);
    definition.setDescription("redisrpc client of " + RpcServiceInterfaces.serviceName(service));
    registry.registerBeanDefinition(beanName, definition);
  }

  private ClassPathScanningCandidateComponentProvider scanner() {
    ClassPathScanningCandidateComponentProvider scanner =
        new ClassPathScanningCandidateComponentProvider(false, environment) {
          @Override
          protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
            AnnotationMetadata metadata = definition.getMetadata();
            return metadata.isIndependent() && metadata.isInterface() && !metadata.isAnnotation();
          }
        };
    scanner.setResourceLoader(resourceLoader);
    scanner.addIncludeFilter(new AnnotationTypeFilter(RpcService.class, false, true));
    scanner.addIncludeFilter(
        (reader, factory) ->
            reader.getAnnotationMetadata().hasAnnotatedMethods(Endpoint.class.getName()));
    return scanner;
  }
}
