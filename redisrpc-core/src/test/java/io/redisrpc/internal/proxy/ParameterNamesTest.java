package io.redisrpc.internal.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisrpc.RpcServer;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service interface compiled without {@code -parameters} is noticed when a server is made. */
class ParameterNamesTest {
  @Test
  void endpointsCompiledWithoutParameterNamesAreNamedInTheWarning(@TempDir Path dir)
      throws Exception {
    Path source = dir.resolve("demo/Files.java");
    Files.createDirectories(source.getParent());
    Files.writeString(
        source,
        "package demo;\n"
            + "public interface Files {\n"
            + "  @io.redisrpc.Endpoint String read(String name, int offset);\n"
            + "  @io.redisrpc.Endpoint int count();\n"
            + "}\n",
        StandardCharsets.UTF_8);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    // As a build without -parameters compiles it.
    int status =
        javac.run(
            null,
            null,
            null,
            "-classpath",
            System.getProperty("java.class.path"),
            "-d",
            dir.toString(),
            source.toString());
    assertThat(status).isZero();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      Class<?> files = loader.loadClass("demo.Files");
      ServiceModel model = ServiceModel.parse(files);
      List<String> unnamed = ParameterNames.unnamed(model);
      assertThat(unnamed).containsExactly("Files.read");
      assertThat(ParameterNames.warning(model, unnamed))
          .isEqualTo(
              "demo.Files was compiled without -parameters: the parameters of Files.read are"
                  + " known as arg0, arg1, ..., so calls naming their arguments (aioredis-rpc"
                  + " keyword arguments, redisrpc call with a JSON object) fail with \"unexpected"
                  + " keyword argument\". Compile it with javac -parameters (Maven:"
                  + " <parameters>true</parameters> in the maven-compiler-plugin configuration;"
                  + " Gradle: options.compilerArgs.add(\"-parameters\")).");
      // The server is still made: the warning does not stop anyone.
      Object impl =
          Proxy.newProxyInstance(loader, new Class<?>[] {files}, (proxy, method, args) -> null);
      assertThat(build(files, impl)).isNotNull();
    }
  }

  @Test
  void interfacesCompiledWithParameterNamesNeedNoWarning() {
    assertThat(ParameterNames.unnamed(ServiceModel.parse(Named.class))).isEmpty();
  }

  interface Named {
    @io.redisrpc.Endpoint
    String read(String name, int offset);
  }

  @SuppressWarnings("unchecked")
  private static <T> RpcServer build(Class<T> type, Object impl) {
    return RpcServer.builder(type, (T) impl).build();
  }
}
