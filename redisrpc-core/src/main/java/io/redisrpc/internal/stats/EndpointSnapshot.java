package io.redisrpc.internal.stats;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The statistics of one endpoint at one moment.
 *
 * @param endpoint the endpoint's name
 * @param calls calls answered, successfully or not
 * @param errors failed calls by status code name
 * @param inFlight calls started and not yet answered
 * @param buckets latency counts in {@link LatencyHistogram}'s buckets
 * @param lastErrorCode the status code of the last failure, or null
 * @param lastErrorMessage the message of the last failure, or null
 * @param lastErrorAtMillis when the last failure happened (epoch ms), or 0
 */
public record EndpointSnapshot(
    String endpoint,
    long calls,
    Map<String, Long> errors,
    int inFlight,
    long[] buckets,
    @Nullable String lastErrorCode,
    @Nullable String lastErrorMessage,
    long lastErrorAtMillis) {}
