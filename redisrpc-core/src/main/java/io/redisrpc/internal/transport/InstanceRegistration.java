package io.redisrpc.internal.transport;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What a server instance writes into the registry with each heartbeat: the service's descriptor
 * (sent when Redis lacks it) and the fields of the instance's hash {@code rpc:{S}:instance:<id>}
 * (info and a stats snapshot, made afresh for each heartbeat).
 */
public final class InstanceRegistration {
  private final byte[] descriptor;
  private final Supplier<Map<String, String>> fields;

  /** A registration publishing {@code descriptorJson} and, each heartbeat, {@code fields}. */
  public InstanceRegistration(String descriptorJson, Supplier<Map<String, String>> fields) {
    this.descriptor = descriptorJson.getBytes(StandardCharsets.UTF_8);
    this.fields = fields;
  }

  /**
   * The ARGV of the HEARTBEAT script: instance id, ttl, group (empty when the script's stream is
   * not read: a partitioned service's own names), then with a registration the descriptor (or
   * empty) and the hash's field/value pairs.
   */
  static byte[][] heartbeatArgs(
      @Nullable InstanceRegistration registration,
      String instanceId,
      long ttlMillis,
      boolean sendDescriptor,
      boolean readsStream) {
    byte[] id = Scripts.bytes(instanceId);
    byte[] ttl = Scripts.bytes(Long.toString(ttlMillis));
    byte[] group = readsStream ? Scripts.bytes(RedisKeys.GROUP) : new byte[0];
    if (registration == null) {
      return new byte[][] {id, ttl, group};
    }
    Map<String, String> values = registration.fields.get();
    byte[][] args = new byte[4 + 2 * values.size()][];
    args[0] = id;
    args[1] = ttl;
    args[2] = group;
    args[3] = sendDescriptor ? registration.descriptor : new byte[0];
    int i = 4;
    for (Map.Entry<String, String> field : values.entrySet()) {
      args[i++] = Scripts.bytes(field.getKey());
      args[i++] = Scripts.bytes(field.getValue());
    }
    return args;
  }
}
