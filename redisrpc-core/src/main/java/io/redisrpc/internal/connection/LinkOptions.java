package io.redisrpc.internal.connection;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The options of a root's connections.
 *
 * @param connectTimeout how long opening one connection may take
 * @param topologyRefresh how often a cluster's topology is read again, besides the adaptive
 *     refreshes on redirects and reconnects
 * @param username the ACL user, or null for the URI's
 * @param password the password, or null for the URI's
 * @param trustedCertificates PEM file of the certificates that TLS servers are checked against, or
 *     null for the JVM's trust store
 */
public record LinkOptions(
    Duration connectTimeout,
    Duration topologyRefresh,
    @Nullable String username,
    char @Nullable [] password,
    @Nullable Path trustedCertificates) {

  /** The defaults: 10 s to connect, topology read every 10 s. */
  public static LinkOptions defaults() {
    return new LinkOptions(Duration.ofSeconds(10), Duration.ofSeconds(10), null, null, null);
  }
}
