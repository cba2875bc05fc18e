package io.redisrpc.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class ResultsWriterTest {
  private static final List<BenchResult> FAKE =
      List.of(
          new BenchResult("floor", "raw", "default", 1, 64, 7000, 140, 300, 900),
          new BenchResult("redisrpc", "msgpack", "default", 1, 64, 6000, 160, 400, 1200),
          new BenchResult("redisrpc", "msgpack", "idempotent", 1, 64, 5000, 180, 500, 1500),
          new BenchResult("redisson", "kryo5", "default", 1, 64, 3000, 320, 900, 3000),
          new BenchResult("floor", "raw", "default", 64, 1024, 70000, 900, 2000, 5000),
          new BenchResult("redisrpc", "msgpack", "default", 64, 1024, 63000, 1000, 3000, 6000),
          new BenchResult("redisrpc", "msgpack", "idempotent", 64, 1024, 56000, 1100, 3500, 7000),
          new BenchResult("redisson", "kryo5", "default", 64, 1024, 2500, 25000, 40000, 50000),
          new BenchResult("nats", "raw", "default", 64, 1024, 73000, 850, 1900, 4000));

  @Test
  void jsonIsAnArrayOfRecordsWithExactlyTheIssuesFields() throws Exception {
    JsonNode array = new ObjectMapper().readTree(ResultsWriter.json(FAKE));

    assertThat(array.isArray()).isTrue();
    assertThat(array).hasSize(FAKE.size());
    for (JsonNode record : array) {
      List<String> names = new ArrayList<>();
      for (Iterator<String> it = record.fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
      assertThat(names)
          .containsExactly(
              "system",
              "codec",
              "workload",
              "in_flight",
              "payload_bytes",
              "calls_per_s",
              "p50_us",
              "p99_us",
              "p999_us");
    }
    JsonNode idempotent = array.get(6);
    assertThat(idempotent.get("system").asText()).isEqualTo("redisrpc");
    assertThat(idempotent.get("codec").asText()).isEqualTo("msgpack");
    assertThat(idempotent.get("workload").asText()).isEqualTo("idempotent");
    assertThat(idempotent.get("in_flight").asInt()).isEqualTo(64);
    assertThat(idempotent.get("payload_bytes").asInt()).isEqualTo(1024);
    assertThat(idempotent.get("calls_per_s").asDouble()).isEqualTo(56000.0);
    assertThat(idempotent.get("p50_us").asDouble()).isEqualTo(1100.0);
    assertThat(idempotent.get("p99_us").asDouble()).isEqualTo(3500.0);
    assertThat(idempotent.get("p999_us").asDouble()).isEqualTo(7000.0);
  }

  @Test
  void csvHasAHeaderAndOneLinePerRecord() {
    List<String> lines = ResultsWriter.csv(FAKE).lines().toList();

    assertThat(lines).hasSize(FAKE.size() + 1);
    assertThat(lines.get(0))
        .isEqualTo(
            "system,codec,workload,in_flight,payload_bytes,calls_per_s,p50_us,p99_us,p999_us");
    assertThat(lines.get(1)).isEqualTo("floor,raw,default,1,64,7000.0,140.0,300.0,900.0");
    assertThat(lines.get(7))
        .isEqualTo("redisrpc,msgpack,idempotent,64,1024,56000.0,1100.0,3500.0,7000.0");
  }

  @Test
  void svgIsWellFormedWithABarAndPercentilesPerResult() throws Exception {
    String svg = ChartSvg.render(FAKE, "2 cores, test machine");

    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
    assertThat(svg)
        .contains("Throughput, calls/s")
        .contains("Latency, µs")
        .contains("2 cores, test machine");
    assertThat(svg)
        .contains("floor (Lettuce pub/sub)")
        .contains("redisrpc msgpack idem.")
        .contains("Redisson RemoteService")
        .contains("NATS request-reply");
    // One bar per result, with its exact value as a tooltip.
    assertThat(count(svg, " calls/s</title></rect>")).isEqualTo(FAKE.size());
    assertThat(svg).contains("redisrpc msgpack idem.: 56,000 calls/s");
    // One group of percentile marks per result.
    assertThat(count(svg, "<g><title>")).isEqualTo(FAKE.size());
    assertThat(svg).contains("p50 1100 µs, p99 3500 µs, p99.9 7000 µs");
    // NATS ran only at 64 in flight: its other panels say so.
    assertThat(svg).contains("not run");
  }

  @Test
  void writesTheThreeFiles(@TempDir Path dir) throws Exception {
    List<Path> files = ResultsWriter.writeAll(dir.resolve("out"), FAKE, "test");

    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .containsExactly("results.json", "results.csv", "chart.svg");
    for (Path f : files) {
      assertThat(Files.size(f)).isPositive();
    }
  }

  @Test
  void reportsRatiosAndTargets() {
    String ratios = Report.ratios(FAKE);
    assertThat(ratios).contains("redisrpc msgpack").contains("0.90x"); // 63000 / 70000
    assertThat(ratios).contains("25.20x"); // 63000 / 2500

    String targets = Report.targets(FAKE);
    assertThat(targets).containsPattern("\\[met   ] sequential p50 <= 1.3x floor +2/2");
    assertThat(targets).containsPattern("\\[met   ] 64/256 in flight: throughput >= 0.8x floor");
    assertThat(targets).containsPattern("\\[met   ] 64/256 in flight: throughput >= 20x Redisson");
    assertThat(targets).containsPattern("\\[met   ] 64/256 in flight: p99 <= 2x floor");
    assertThat(targets).containsPattern("\\[met   ] idempotent throughput >= 0.8x default");
    assertThat(targets).containsPattern("\\[n/a   ] stretch");
  }

  @Test
  void missedTargetsSaySo() {
    List<BenchResult> slow =
        List.of(
            new BenchResult("floor", "raw", "default", 256, 64, 100000, 1000, 2000, 3000),
            new BenchResult("redisrpc", "json", "default", 256, 64, 50000, 3000, 9000, 12000));

    assertThat(Report.targets(slow))
        .containsPattern(
            "\\[MISSED] 64/256 in flight: throughput >= 0.8x floor +0/1 cases met; worst 0.50x")
        .containsPattern("\\[MISSED] stretch: 256 in flight >= 1.0x floor");
  }

  @Test
  void aClusterRunAddsEachPrimarysShareAfterTheIssuesFields() throws Exception {
    List<BenchResult.NodeShare> shares =
        List.of(
            new BenchResult.NodeShare("10.0.0.1:7000", 99.04, 97.0),
            new BenchResult.NodeShare("10.0.0.2:7000", 0.96, 3.0));
    List<BenchResult> run =
        List.of(
            new BenchResult("floor", "raw", "default", 64, 64, 9000, 700, 900, 1000, shares),
            new BenchResult("nats", "raw", "default", 64, 64, 9500, 600, 800, 900));

    JsonNode array = new ObjectMapper().readTree(ResultsWriter.json(run));
    JsonNode floor = array.get(0);
    List<String> names = new ArrayList<>();
    floor.fieldNames().forEachRemaining(names::add);
    assertThat(names).endsWith("p999_us", "nodes");
    assertThat(floor.at("/nodes/0/node").asText()).isEqualTo("10.0.0.1:7000");
    assertThat(floor.at("/nodes/0/commands_pct").asDouble()).isEqualTo(99.0);
    assertThat(floor.at("/nodes/1/redis_cpu_pct").asDouble()).isEqualTo(3.0);
    assertThat(array.get(1).has("nodes")).as("NATS is not Redis").isFalse();

    List<String> csv = ResultsWriter.csv(run).lines().toList();
    assertThat(csv.get(0))
        .isEqualTo(
            String.join(",", ResultsWriter.FIELDS)
                + ",node1,node1_commands_pct,node1_redis_cpu_pct"
                + ",node2,node2_commands_pct,node2_redis_cpu_pct");
    assertThat(csv.get(1))
        .isEqualTo(
            "floor,raw,default,64,64,9000.0,700.0,900.0,1000.0,"
                + "10.0.0.1:7000,99.0,97.0,10.0.0.2:7000,1.0,3.0");
    assertThat(csv.get(2)).isEqualTo("nats,raw,default,64,64,9500.0,600.0,800.0,900.0,,,,,,");
  }

  @Test
  void theClusterSectionShowsSharesTheBusiestPrimaryAndItsCeiling() {
    List<Report.NodeCost> costs =
        List.of(
            new Report.NodeCost("10.0.0.1:7000", 1.0, 5.0, 25.0),
            new Report.NodeCost("10.0.0.2:7000", 3.0, 15.0, 75.0));
    BenchResult floor =
        new BenchResult(
            "floor", "raw", "default", 64, 64, 50000, 700, 900, 1000, Report.shares(costs));
    Report.Extras extras =
        new Report.Extras(0, null, 4.0, 20.0, 100.0, 10.0, 0.1, java.util.Map.of(), costs);

    String section =
        Report.cluster(
            List.of(new Report.Cell(floor, extras)),
            List.of("10.0.0.1:7000 (slots 0-8191)", "10.0.0.2:7000 (slots 8192-16383)"));

    assertThat(section)
        .startsWith("Redis Cluster: each primary's share")
        .contains("  n1 10.0.0.1:7000 (slots 0-8191)\n")
        // 25% and 75% of commands and of CPU; n2 is the busiest, at 75% of a core, 15 us per
        // call: a whole core would take 50000 / 0.75 calls/s.
        .containsPattern("floor +64 +64 B +25\\.0 +75\\.0 +25\\.0 +75\\.0 +n2 +75% +15\\.0 +66667");
    assertThat(Report.cluster(List.of(new Report.Cell(FAKE.get(0), null)), List.of())).isEmpty();
  }

  @Test
  void parsesDurationsAndSystems() {
    BenchCommand.DurationConverter c = new BenchCommand.DurationConverter();
    assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(c.convert("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.convert("2")).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.convert("1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.convert("PT3S")).isEqualTo(Duration.ofSeconds(3));

    assertThat(BenchCommand.selectSystems(List.of("redisrpc")))
        .containsExactly(
            "redisrpc-msgpack", "redisrpc-msgpack-idem", "redisrpc-json", "redisrpc-json-idem");
    assertThat(BenchCommand.selectSystems(List.of("floor", "redisrpc-json")))
        .containsExactly("floor", "redisrpc-json");
    assertThatThrownBy(() -> BenchCommand.selectSystems(List.of("grpc")))
        .hasMessageContaining("unknown system 'grpc'");
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
