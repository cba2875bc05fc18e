package io.redisrpc.internal.registry;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A live instance's registry entry, its hash {@code rpc:{S}:instance:<id>}, as read: who and where
 * it is, what it serves and the statistics of its last heartbeat. Values the hash lacks or holds
 * malformed are unknown: an empty host or version, a pid of -1, a protocol version of 0, no
 * endpoints, a null time or no statistics. The public {@code ServiceInstance} is made from it.
 *
 * @param service the service name
 * @param id the instance's id
 * @param host the host name of its machine, or empty
 * @param pid its process id, or -1
 * @param version its library and version, or empty
 * @param protocolVersion the version of the native protocol it speaks, or 0
 * @param startedAt when it started serving, by its own clock, or null
 * @param lastHeartbeat when it last wrote its entry, by Redis' clock, or null
 * @param expiresAt when it stops counting as live, by Redis' clock
 * @param endpoints the endpoints it serves
 * @param stats the statistics it wrote with its last heartbeat, or null
 */
public record InstanceEntry(
    String service,
    String id,
    String host,
    long pid,
    String version,
    int protocolVersion,
    @Nullable Instant startedAt,
    @Nullable Instant lastHeartbeat,
    Instant expiresAt,
    List<String> endpoints,
    @Nullable StatsRecord stats) {}
