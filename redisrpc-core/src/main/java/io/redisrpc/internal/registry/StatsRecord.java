package io.redisrpc.internal.registry;

import io.redisrpc.internal.stats.EndpointSnapshot;
import java.time.Instant;
import java.util.List;

/**
 * The statistics of one server instance, as a server writes them into the JSON of its hash's {@code
 * stats} field with each heartbeat and as readers find them there. The public {@code ServerStats}
 * converts to and from it.
 *
 * @param service the service name
 * @param instanceId the instance's id
 * @param startedAt when the instance started, by its own clock (written to the millisecond)
 * @param takenAt when the statistics were taken, by the instance's clock (to the millisecond)
 * @param inFlight calls taken and not yet answered
 * @param maxConcurrency the most calls the instance runs at once
 * @param rejectedMessages messages the instance refused
 * @param endpoints the statistics of each endpoint, in the service's order; error counts are keyed
 *     by status code name
 */
public record StatsRecord(
    String service,
    String instanceId,
    Instant startedAt,
    Instant takenAt,
    int inFlight,
    int maxConcurrency,
    long rejectedMessages,
    List<EndpointSnapshot> endpoints) {}
