package io.redisrpc.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisrpc.internal.stats.EndpointSnapshot;
import io.redisrpc.internal.stats.LatencyHistogram;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An instance's registry entry as servers write it and readers read it back: every field survives
 * the round trip, the stats JSON keeps its exact form, and malformed values are read as unknown.
 */
class RegistryJsonTest {
  private static final long EXPIRES_AT = 1_600_000_009_000L;

  /** The stats JSON of {@link #stats()}, key for key and in order (docs/PROTOCOL.md). */
  private static final String STATS_JSON =
      "{\"service\":\"Svc\",\"instance\":\"inst-1\",\"started_at\":1600000000000,"
          + "\"taken_at\":1600000005000,\"in_flight\":3,\"max_concurrency\":16,\"rejected\":9,"
          + "\"endpoints\":[{\"name\":\"get\",\"calls\":14,"
          + "\"errors\":{\"CANCELLED\":2,\"UNKNOWN\":1,\"NOT_FOUND\":3},\"in_flight\":2,"
          + "\"p50_us\":1024,\"p99_us\":3611622602,\"buckets\":{\"3\":5,\"40\":7,\"127\":2},"
          + "\"last_error\":{\"code\":\"NOT_FOUND\",\"message\":\"no: such\",\"at\":1700000000123}},"
          + "{\"name\":\"put\",\"calls\":0,\"errors\":{},\"in_flight\":0,\"buckets\":{}},"
          + "{\"name\":\"odd\",\"calls\":1,\"errors\":{},\"in_flight\":0,\"p50_us\":1,\"p99_us\":1,"
          + "\"buckets\":{\"0\":1},\"last_error\":{\"code\":\"NOCOLON\",\"message\":\"\",\"at\":0}}]}";

  @Test
  void statsAreWrittenInTheRegistrysForm() {
    assertThat(RegistryJson.statsJson(stats())).isEqualTo(STATS_JSON);
  }

  @Test
  void theHashHoldsTheInstanceAndItsStats() {
    Map<String, String> fields = RegistryJson.instanceFields(stats(), Duration.ofMillis(2500));

    assertThat(fields)
        .containsOnlyKeys(
            "service",
            "id",
            "host",
            "pid",
            "version",
            "protocol_version",
            "started_at",
            "heartbeat_ms",
            "max_concurrency",
            "in_flight",
            "endpoints",
            "stats")
        .containsEntry("service", "Svc")
        .containsEntry("id", "inst-1")
        .containsEntry("pid", Long.toString(ProcessHandle.current().pid()))
        .containsEntry("protocol_version", Integer.toString(ServiceDescriptor.PROTOCOL_VERSION))
        .containsEntry("started_at", "1600000000000")
        .containsEntry("heartbeat_ms", "2500")
        .containsEntry("max_concurrency", "16")
        .containsEntry("in_flight", "3")
        .containsEntry("endpoints", "[\"get\",\"put\",\"odd\"]")
        .containsEntry("stats", STATS_JSON);
    assertThat(fields.get("version")).startsWith("redisrpc-java ");
  }

  @Test
  void everyFieldSurvivesTheRoundTrip() {
    Map<String, String> fields =
        new HashMap<>(RegistryJson.instanceFields(stats(), Duration.ofSeconds(1)));
    fields.put("heartbeat_at", "1600000006000"); // written by Redis' clock, not the server

    InstanceEntry entry = RegistryJson.instance("Svc", "inst-1", EXPIRES_AT, fields);

    assertThat(entry.service()).isEqualTo("Svc");
    assertThat(entry.id()).isEqualTo("inst-1");
    assertThat(entry.host()).isEqualTo(fields.get("host"));
    assertThat(entry.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(entry.version()).isEqualTo(fields.get("version"));
    assertThat(entry.protocolVersion()).isEqualTo(ServiceDescriptor.PROTOCOL_VERSION);
    assertThat(entry.startedAt()).isEqualTo(Instant.ofEpochMilli(1_600_000_000_000L));
    assertThat(entry.lastHeartbeat()).isEqualTo(Instant.ofEpochMilli(1_600_000_006_000L));
    assertThat(entry.expiresAt()).isEqualTo(Instant.ofEpochMilli(EXPIRES_AT));
    assertThat(entry.endpoints()).containsExactly("get", "put", "odd");
    assertThat(entry.stats()).usingRecursiveComparison().isEqualTo(stats());
  }

  @Test
  void missingOrMalformedFieldsAreUnknown() {
    InstanceEntry empty = RegistryJson.instance("S", "i", 5, Map.of());
    InstanceEntry malformed =
        RegistryJson.instance(
            "S",
            "i",
            5,
            Map.of(
                "pid", "x",
                "protocol_version", "two",
                "started_at", "nope",
                "heartbeat_at", "",
                "endpoints", "{bad",
                "stats", "not json"));

    for (InstanceEntry entry : List.of(empty, malformed)) {
      assertThat(entry.host()).isEmpty();
      assertThat(entry.pid()).isEqualTo(-1);
      assertThat(entry.version()).isEmpty();
      assertThat(entry.protocolVersion()).isZero();
      assertThat(entry.startedAt()).isNull();
      assertThat(entry.lastHeartbeat()).isNull();
      assertThat(entry.expiresAt()).isEqualTo(Instant.ofEpochMilli(5));
      assertThat(entry.endpoints()).isEmpty();
      assertThat(entry.stats()).isNull();
    }
    assertThat(RegistryJson.instance("S", "i", 5, Map.of("protocol_version", " 3 ")))
        .extracting(InstanceEntry::protocolVersion)
        .isEqualTo(3);
  }

  @Test
  void statsThatAreNoObjectAreNone() {
    assertThat(RegistryJson.parseStats(null)).isNull();
    assertThat(RegistryJson.parseStats("")).isNull();
    assertThat(RegistryJson.parseStats("null")).isNull();
    assertThat(RegistryJson.parseStats("[]")).isNull();
    assertThat(RegistryJson.parseStats("{\"service\":")).isNull();
  }

  @Test
  void malformedStatsValuesAreUnknownAndTheRestIsRead() {
    StatsRecord stats =
        RegistryJson.parseStats(
            "{\"service\":\"S\",\"started_at\":\"x\",\"in_flight\":\"7\",\"rejected\":[],"
                + "\"endpoints\":[{\"name\":\"a\",\"calls\":\"x\","
                + "\"errors\":{\"BOGUS\":2,\"NOT_FOUND\":\"q\"},"
                + "\"buckets\":{\"zz\":1,\"-1\":4,\"999\":5,\"2\":8},\"last_error\":{\"at\":\"y\"}},"
                + "{\"name\":\"b\",\"calls\":4,\"errors\":[1],\"buckets\":[3],\"last_error\":5},"
                + "42]}");

    assertThat(stats).isNotNull();
    assertThat(stats.service()).isEqualTo("S");
    assertThat(stats.instanceId()).isEmpty();
    assertThat(stats.startedAt()).isEqualTo(Instant.EPOCH);
    assertThat(stats.takenAt()).isEqualTo(Instant.EPOCH);
    assertThat(stats.inFlight()).isEqualTo(7);
    assertThat(stats.maxConcurrency()).isZero();
    assertThat(stats.rejectedMessages()).isZero();
    assertThat(stats.endpoints()).hasSize(3);

    EndpointSnapshot a = stats.endpoints().get(0);
    assertThat(a.endpoint()).isEqualTo("a");
    assertThat(a.calls()).isZero();
    assertThat(a.errors()).isEqualTo(Map.of("BOGUS", 2L, "NOT_FOUND", 0L));
    long[] buckets = new long[LatencyHistogram.BUCKETS];
    buckets[2] = 8;
    assertThat(a.buckets()).isEqualTo(buckets);
    assertThat(a.lastErrorCode()).isEqualTo("UNKNOWN");
    assertThat(a.lastErrorMessage()).isEmpty();
    assertThat(a.lastErrorAtMillis()).isZero();

    EndpointSnapshot b = stats.endpoints().get(1);
    assertThat(b.calls()).isEqualTo(4);
    assertThat(b.errors()).isEmpty();
    assertThat(b.buckets()).containsOnly(0L);
    assertThat(b.lastErrorCode()).isNull();
    assertThat(b.lastErrorMessage()).isNull();

    assertThat(stats.endpoints().get(2).endpoint()).isEmpty();
  }

  /** Statistics with every value set and unlike the others, so that a dropped one shows. */
  private static StatsRecord stats() {
    long[] buckets = new long[LatencyHistogram.BUCKETS];
    buckets[3] = 5;
    buckets[40] = 7;
    buckets[127] = 2;
    Map<String, Long> errors = new LinkedHashMap<>();
    errors.put("CANCELLED", 2L);
    errors.put("UNKNOWN", 1L);
    errors.put("NOT_FOUND", 3L);
    long[] one = new long[LatencyHistogram.BUCKETS];
    one[0] = 1;
    return new StatsRecord(
        "Svc",
        "inst-1",
        Instant.ofEpochMilli(1_600_000_000_000L),
        Instant.ofEpochMilli(1_600_000_005_000L),
        3,
        16,
        9,
        List.of(
            new EndpointSnapshot(
                "get", 14, errors, 2, buckets, "NOT_FOUND", "no: such", 1_700_000_000_123L),
            new EndpointSnapshot(
                "put", 0, Map.of(), 0, new long[LatencyHistogram.BUCKETS], null, null, 0),
            new EndpointSnapshot("odd", 1, Map.of(), 0, one, "NOCOLON", "", 0)));
  }
}
