package io.redisrpc.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/**
 * Reactor is optional: Mono endpoints need it, nothing else does. In a class loader that holds this
 * module's class path without reactor-core and reactive-streams, clients and servers of a service
 * without Reactor types build, and nothing asks that loader for a class of either.
 */
class ReactorIsOptionalTest {
  @Test
  void withoutReactorClientsAndServersBuildAndNoReactorClassIsEverAskedFor() throws Exception {
    List<URL> withoutReactor = new ArrayList<>();
    for (Path entry : classPath()) {
      String name = entry.getFileName().toString();
      if (!name.startsWith("reactor-core") && !name.startsWith("reactive-streams")) {
        withoutReactor.add(entry.toUri().toURL());
      }
    }
    try (RecordingLoader loader = new RecordingLoader(withoutReactor)) {
      assertThatThrownBy(() -> loader.loadClass("reactor.core.publisher.Mono"))
          .isInstanceOf(ClassNotFoundException.class);
      loader.asked.clear();

      Class<?> probe = loader.loadClass(WithoutReactor.class.getName());
      assertThat(probe.getClassLoader()).isSameAs(loader);
      Object built = probe.getMethod("build").invoke(null);

      assertThat((String) built).startsWith("RpcClient[Plain, json");
      assertThat(loader.asked)
          .as("classes of Reactor or Reactive Streams asked for")
          .noneMatch(n -> n.startsWith("reactor.") || n.startsWith("org.reactivestreams."));
      assertThat(loader.asked).contains("io.redisrpc.internal.adapter.CallAdapters");
    }
  }

  /** The test class path, also when Surefire passes it in a manifest-only jar. */
  private static List<Path> classPath() throws IOException {
    List<Path> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (path.getFileName().toString().startsWith("surefirebooter")) {
        try (JarFile jar = new JarFile(path.toFile())) {
          Manifest manifest = jar.getManifest();
          for (String url : manifest.getMainAttributes().getValue("Class-Path").split(" ")) {
            if (!url.isEmpty()) {
              entries.add(Path.of(java.net.URI.create(path.getParent().toUri() + url)));
            }
          }
        }
      } else {
        entries.add(path);
      }
    }
    return entries;
  }

  /** Loads from its own class path first, and records every class it is asked for. */
  private static final class RecordingLoader extends URLClassLoader {
    final List<String> asked = new CopyOnWriteArrayList<>();

    RecordingLoader(List<URL> urls) {
      super(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      asked.add(name);
      return super.loadClass(name, resolve);
    }
  }
}
