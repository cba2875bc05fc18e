package io.redisrpc.spring.boot.autoconfigure;

import java.util.List;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

/**
 * The redisrpc connection of Spring Boot's {@link DataRedisConnectionDetails}: those that
 * spring.data.redis.* describe, or those of a Testcontainers or Docker Compose service connection.
 */
final class DataRedisConnectionDetailsAdapter {
  private DataRedisConnectionDetailsAdapter() {}

  static RedisRpcConnectionDetails of(DataRedisConnectionDetails details) {
    boolean tls = details.getSslBundle() != null;
    String uri;
    if (details.getSentinel() != null) {
      DataRedisConnectionDetails.Sentinel sentinel = details.getSentinel();
      uri =
          ResolvedRedisRpcConnectionDetails.sentinelUri(
              tls, hosts(sentinel.getNodes()), sentinel.getDatabase(), sentinel.getMaster());
    } else if (details.getCluster() != null) {
      uri =
          ResolvedRedisRpcConnectionDetails.clusterUri(tls, hosts(details.getCluster().getNodes()));
    } else if (details.getMasterReplica() != null) {
      throw new IllegalStateException(
          "A master/replica Redis is not supported by redisrpc: set redisrpc.redis-url to the"
              + " primary (redis://), its sentinels (redis-sentinel://...#primary) or a cluster"
              + " (redis-cluster://)");
    } else {
      DataRedisConnectionDetails.Standalone node = details.getStandalone();
      uri =
          ResolvedRedisRpcConnectionDetails.nodeUri(
              tls, node.getHost(), node.getPort(), node.getDatabase());
    }
    return new ResolvedRedisRpcConnectionDetails(uri, details.getUsername(), details.getPassword());
  }

  private static List<String> hosts(List<DataRedisConnectionDetails.Node> nodes) {
    return nodes.stream()
        .map(n -> ResolvedRedisRpcConnectionDetails.bracketed(n.host()) + ":" + n.port())
        .toList();
  }
}
