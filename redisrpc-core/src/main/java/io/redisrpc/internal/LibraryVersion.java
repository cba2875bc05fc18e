package io.redisrpc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of redisrpc-core, as built; servers announce it in the registry. */
public final class LibraryVersion {
  private static final String VERSION = load();

  private LibraryVersion() {}

  /** For example {@code 0.1.0}; {@code unknown} when the build did not record it. */
  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = LibraryVersion.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        String version = properties.getProperty("version", "");
        if (!version.isBlank() && !version.startsWith("${")) {
          return version.strip();
        }
      }
    } catch (IOException e) {
      // fall through
    }
    String fromManifest = LibraryVersion.class.getPackage().getImplementationVersion();
    return fromManifest == null ? "unknown" : fromManifest;
  }
}
