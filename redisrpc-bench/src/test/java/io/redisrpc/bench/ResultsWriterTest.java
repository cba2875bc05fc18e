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
  void jsonIsAnArrayOfRecordsWithTheIssuesFieldsThenTheRoundAndLoad() throws Exception {
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
              "p999_us",
              "round",
              "load_1m_before",
              "load_1m_after",
              "busy",
              "other_cpu");
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
    // Made without a round or a load reading: the first round, load unknown.
    assertThat(idempotent.get("round").asInt()).isEqualTo(1);
    assertThat(idempotent.get("load_1m_before").isNull()).isTrue();
    assertThat(idempotent.get("load_1m_after").isNull()).isTrue();
    assertThat(idempotent.get("busy").asBoolean()).isFalse();
    assertThat(idempotent.get("other_cpu").isNull()).isTrue();
  }

  @Test
  void csvHasAHeaderAndOneLinePerRecord() {
    List<String> lines = ResultsWriter.csv(FAKE).lines().toList();

    assertThat(lines).hasSize(FAKE.size() + 1);
    // The earlier files' columns first, unchanged; the new ones at the end.
    assertThat(lines.get(0))
        .isEqualTo(
            "system,codec,workload,in_flight,payload_bytes,calls_per_s,p50_us,p99_us,p999_us"
                + ",round,load_1m_before,load_1m_after,busy,other_cpu");
    assertThat(lines.get(1))
        .isEqualTo("floor,raw,default,1,64,7000.0,140.0,300.0,900.0,1,,,false,");
    assertThat(lines.get(7))
        .isEqualTo("redisrpc,msgpack,idempotent,64,1024,56000.0,1100.0,3500.0,7000.0,1,,,false,");
  }

  @Test
  void everyRoundIsKeptWithItsLoadAndOtherCpuReadings() throws Exception {
    List<BenchResult> run =
        List.of(
            FAKE.get(0).inRound(1, 0.42, 0.5, false, 0.123),
            FAKE.get(0).inRound(2, 0.9, 1.734, true, 0.6),
            FAKE.get(1).inRound(2, Double.NaN, Double.NaN, false, Double.NaN));

    JsonNode array = new ObjectMapper().readTree(ResultsWriter.json(run));
    assertThat(array).hasSize(3);
    assertThat(array.get(0).get("round").asInt()).isEqualTo(1);
    assertThat(array.get(1).get("round").asInt()).isEqualTo(2);
    assertThat(array.get(1).get("load_1m_before").asDouble()).isEqualTo(0.9);
    assertThat(array.get(1).get("load_1m_after").asDouble()).isEqualTo(1.73);
    assertThat(array.get(1).get("busy").asBoolean()).isTrue();
    assertThat(array.get(0).get("other_cpu").asDouble()).isEqualTo(0.12);
    assertThat(array.get(1).get("other_cpu").asDouble()).isEqualTo(0.6);
    assertThat(array.get(2).get("load_1m_after").isNull()).isTrue();
    assertThat(array.get(2).get("other_cpu").isNull()).isTrue();

    List<String> csv = ResultsWriter.csv(run).lines().toList();
    assertThat(csv.get(1)).endsWith(",900.0,1,0.42,0.50,false,0.12");
    assertThat(csv.get(2)).endsWith(",900.0,2,0.90,1.73,true,0.60");
    assertThat(csv.get(3)).endsWith(",1200.0,2,,,false,");
  }

  @Test
  void theTableShowsEachCellsLoadAndOtherCpuAndTheSummaryWarnsOfBusyCells() {
    // A load above the cores no longer makes a cell busy: the bench's own threads count in it.
    List<Report.Cell> cells =
        List.of(
            new Report.Cell(FAKE.get(0).inRound(1, 2.25, 2.5, false, 0.1), null),
            new Report.Cell(FAKE.get(1).inRound(1, 0.5, 1.5, true, 0.75), null));

    List<String> table = Report.table(cells).lines().toList();
    assertThat(table.get(0)).endsWith("load   load  other");
    assertThat(table.get(1)).endsWith("before  after  cores");
    assertThat(table.get(2)).startsWith("floor ").endsWith(" 2.25   2.50   0.10");
    assertThat(table.get(3)).startsWith("redisrpc msgpack ").endsWith(" 0.50   1.50   0.75 BUSY");
    // One round: no round column.
    assertThat(table.get(0)).doesNotContain("round");

    List<BenchResult> results = cells.stream().map(Report.Cell::result).toList();
    assertThat(Report.loadSummary(results, 2))
        .startsWith(
            "WARNING: busy machine: 1 of 2 cells ran while other processes used more than 0.5"
                + " cores (a quarter of the 2)")
        .contains("other processes used 0.10 to 0.75 cores", "load average 0.50 to 2.50");
    assertThat(Report.loadSummary(results.subList(0, 1), 4))
        .isEqualTo(
            "# other processes used 0.10 to 0.10 cores during the cells, at most 1 cores (a"
                + " quarter of the 4) throughout; 1-minute load average 2.25 to 2.50, the bench's"
                + " own threads included\n");
    assertThat(Report.loadSummary(FAKE, 2)).contains("not recorded");
  }

  @Test
  void overRoundsEachRatioIsTheMedianOfTheRoundsRatiosWithItsRange() {
    // Three rounds; redisrpc / floor at 64 in flight: 0.70, 0.90, 0.85 (paired within a round):
    // median 0.85 meets >= 0.8 though one round missed. Sequential p50: 1.1, 1.6, 1.5: median
    // 1.5 misses <= 1.3 though one round met.
    List<BenchResult> run = new ArrayList<>();
    double[] thr = {0.70, 0.90, 0.85};
    double[] p50 = {1.1, 1.6, 1.5};
    for (int round = 1; round <= 3; round++) {
      double floorThr = 10000 * round;
      run.add(
          at(round, new BenchResult("floor", "raw", "default", 64, 64, floorThr, 500, 1000, 2000)));
      run.add(
          at(
              round,
              new BenchResult(
                  "redisrpc",
                  "msgpack",
                  "default",
                  64,
                  64,
                  floorThr * thr[round - 1],
                  800,
                  1500,
                  3000)));
      run.add(at(round, new BenchResult("floor", "raw", "default", 1, 64, 5000, 100, 200, 400)));
      run.add(
          at(
              round,
              new BenchResult(
                  "redisrpc", "msgpack", "default", 1, 64, 3000, 100 * p50[round - 1], 300, 600)));
    }

    String ratios = Report.ratios(run);
    assertThat(ratios).contains("each the median over 3 rounds");
    assertThat(ratios)
        .containsPattern("redisrpc msgpack +64 +64 B +0\\.85x \\[0\\.70-0\\.90\\] ok ");
    assertThat(ratios)
        .containsPattern("redisrpc msgpack +1 +64 B .* 1\\.50x \\[1\\.10-1\\.60\\] MISS");

    String targets = Report.targets(run);
    assertThat(targets).contains("judged on the median of its 3 rounds' ratios");
    assertThat(targets)
        .containsPattern(
            "\\[met   ] 64/256 in flight: throughput >= 0\\.8x floor +1/1 cases met; worst"
                + " 0\\.85x \\[0\\.70-0\\.90\\]");
    assertThat(targets)
        .containsPattern("\\[MISSED] sequential p50 <= 1\\.3x floor +0/1 cases met; worst 1\\.50x");

    // The table lists every round's cell, with a round column.
    List<Report.Cell> cells = run.stream().map(r -> new Report.Cell(r, null)).toList();
    String table = Report.table(cells);
    assertThat(table.lines().findFirst().orElseThrow()).contains("round");
    assertThat(table.lines().filter(l -> l.startsWith("redisrpc msgpack")).count()).isEqualTo(6);
  }

  @Test
  void judgesTheNewTargetsAndTheMoonshot() {
    List<BenchResult> run =
        List.of(
            new BenchResult("floor", "raw", "default", 256, 64, 100000, 1000, 2000, 3000),
            new BenchResult("nats", "raw", "default", 256, 64, 90000, 900, 1800, 2500),
            new BenchResult("redisrpc", "msgpack", "default", 256, 64, 110000, 900, 1900, 2900),
            new BenchResult("redisrpc", "msgpack", "signed", 256, 64, 66000, 1500, 3000, 4000),
            new BenchResult("redisrpc", "json", "default", 256, 64, 77000, 1200, 2500, 3500));
    // Redis commands per call, for the moonshot: 1.5 for MessagePack, 5 for the others.
    List<Report.Cell> cells =
        run.stream()
            .map(
                r ->
                    new Report.Cell(
                        r,
                        new Report.Extras(
                            0,
                            null,
                            r.variant().equals("redisrpc msgpack") ? 1.5 : 5.0,
                            1,
                            1,
                            1,
                            1,
                            java.util.Map.of(),
                            List.of())))
            .toList();
    Targets judged = Targets.of(cells);

    String targets = judged.summary();
    assertThat(targets)
        .containsPattern(
            "\\[MISSED] JSON throughput >= 0\\.8x MessagePack +0/1 cases met; worst 0\\.70x")
        .containsPattern(
            "\\[MISSED] sharedSecret throughput >= 0\\.7x without +0/1 cases met; worst 0\\.60x")
        .containsPattern(
            "\\[MISSED] moonshot: 256 in flight >= 1\\.0x floor +1/3 cases met; worst 0\\.66x")
        .containsPattern("\\[MISSED] moonshot: 256 in flight >= 1\\.0x NATS +1/3 cases met")
        .containsPattern(
            "\\[MISSED] moonshot: 256 in flight < 2 Redis commands/call +1/3 cases met; worst 5\\.00");
    String ratios = Report.ratios(judged);
    assertThat(ratios)
        .containsPattern("(?m)^redisrpc msgpack signed +256 +64 B .* 0\\.60x MISS +-$")
        .containsPattern("(?m)^redisrpc json +256 +64 B .* 0\\.70x MISS$")
        .contains("Moonshot, at 256 in flight")
        .containsPattern("(?m)^redisrpc msgpack +64 B +1\\.10x ok +1\\.22x ok +1\\.50 ok$");
  }

  @Test
  void theChartMarksEachTargetMetOrMissedWithALegend() throws Exception {
    // Two rounds: the floor's throughput differs, redisrpc is 0.9x and 0.7x of it (median 0.8x,
    // met) and 30x Redisson in both; its p99 is 3x the floor's (missed).
    List<BenchResult> run = new ArrayList<>();
    for (int round = 1; round <= 2; round++) {
      double floor = round == 1 ? 100000 : 50000;
      run.add(
          at(round, new BenchResult("floor", "raw", "default", 64, 64, floor, 500, 1000, 2000)));
      run.add(
          at(
              round,
              new BenchResult(
                  "redisrpc",
                  "msgpack",
                  "default",
                  64,
                  64,
                  floor * (round == 1 ? 0.9 : 0.7),
                  900,
                  3000,
                  4000)));
      run.add(
          at(
              round,
              new BenchResult(
                  "redisson",
                  "kryo5",
                  "default",
                  64,
                  64,
                  floor * (round == 1 ? 0.03 : 0.7 / 30),
                  9000,
                  20000,
                  30000)));
    }

    String svg = ChartSvg.render(run, "2 cores, test machine, 2 rounds");
    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
    // The legend: each mark and what it means.
    assertThat(svg)
        .contains(">" + ChartSvg.MET + "</text>")
        .contains("every target on this redisrpc bar or latency row met")
        .contains("a target missed", "moonshot met", "moonshot missed")
        .contains("medians of 2 rounds, whiskers: their range");
    // The throughput bar: its targets met (the median 0.80x of 0.70x and 0.90x), in the tooltip.
    assertThat(svg)
        .contains(
            ChartSvg.MET
                + "<title>64/256 in flight: throughput &gt;= 0.8x floor: 0.80x [0.70-0.90], met\n"
                + "64/256 in flight: throughput &gt;= 20x Redisson: 30.00x [30.00-30.00], met");
    // The latency row: p99 missed.
    assertThat(svg)
        .contains(
            ChartSvg.MISSED
                + "<title>64/256 in flight: p99 &lt;= 2x floor: 3.00x [3.00-3.00], MISSED</title>");
    // Every bar is the median of the rounds, with its range as a whisker and in the tooltip.
    assertThat(svg)
        .contains(
            "redisrpc msgpack: 62,500 (median of 2 rounds: 35,000 to 90,000) calls/s</title>");
    // Marks only on redisrpc rows: one for the bar, one for the latency row; and the legend's 4.
    assertThat(count(svg, "class=\"target\">")).isEqualTo(2 + 4);
    assertThat(count(svg, "</title></text>")).isEqualTo(2);
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
    // 63000 / 70000 against the floor, 63000 / 2500 against Redisson: both targets met.
    assertThat(ratios).containsPattern("redisrpc msgpack +64 +1 KiB +0\\.90x ok +25\\.20x ok");
    // One round: no range.
    assertThat(ratios).doesNotContain("[").doesNotContain("median over");
    // No target on the sequential p99 (400 / 300), nor thr/default and thr/msgpack here.
    assertThat(ratios).containsPattern("(?m)^redisrpc msgpack +1 +64 B .* 1\\.33x +- +-$");
    assertThat(ratios).contains("1.50x ok"); // 3000 / 2000 p99 at 64 in flight

    String targets = Report.targets(FAKE);
    assertThat(targets).containsPattern("\\[met   ] sequential p50 <= 1.3x floor +2/2");
    assertThat(targets).containsPattern("\\[met   ] 64/256 in flight: throughput >= 0.8x floor");
    assertThat(targets).containsPattern("\\[met   ] 64/256 in flight: throughput >= 20x Redisson");
    assertThat(targets).containsPattern("\\[met   ] 64/256 in flight: p99 <= 2x floor");
    assertThat(targets).containsPattern("\\[met   ] idempotent throughput >= 0.8x default");
    assertThat(targets).containsPattern("\\[n/a   ] JSON throughput");
    assertThat(targets).containsPattern("\\[n/a   ] sharedSecret throughput");
    assertThat(targets).containsPattern("\\[n/a   ] moonshot: 256 in flight >= 1.0x floor");
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
        .containsPattern("\\[MISSED] moonshot: 256 in flight >= 1.0x floor")
        // Without the extras there is no count of Redis commands to judge.
        .containsPattern("\\[n/a   ] moonshot: 256 in flight < 2 Redis commands/call");
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
    assertThat(names).containsSubsequence("p999_us", "nodes", "round");
    assertThat(names).endsWith(ResultsWriter.ROUND_FIELDS.toArray(String[]::new));
    assertThat(floor.at("/nodes/0/node").asText()).isEqualTo("10.0.0.1:7000");
    assertThat(floor.at("/nodes/0/commands_pct").asDouble()).isEqualTo(99.0);
    assertThat(floor.at("/nodes/1/redis_cpu_pct").asDouble()).isEqualTo(3.0);
    assertThat(array.get(1).has("nodes")).as("NATS is not Redis").isFalse();

    List<String> csv = ResultsWriter.csv(run).lines().toList();
    assertThat(csv.get(0))
        .isEqualTo(
            String.join(",", ResultsWriter.FIELDS)
                + ",node1,node1_commands_pct,node1_redis_cpu_pct"
                + ",node2,node2_commands_pct,node2_redis_cpu_pct"
                + ",round,load_1m_before,load_1m_after,busy,other_cpu");
    assertThat(csv.get(1))
        .isEqualTo(
            "floor,raw,default,64,64,9000.0,700.0,900.0,1000.0,"
                + "10.0.0.1:7000,99.0,97.0,10.0.0.2:7000,1.0,3.0,1,,,false,");
    assertThat(csv.get(2))
        .isEqualTo("nats,raw,default,64,64,9500.0,600.0,800.0,900.0,,,,,,,1,,,false,");
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
            "redisrpc-msgpack",
            "redisrpc-msgpack-idem",
            "redisrpc-msgpack-signed",
            "redisrpc-json",
            "redisrpc-json-idem");
    assertThat(BenchCommand.selectSystems(List.of("floor", "redisrpc-json")))
        .containsExactly("floor", "redisrpc-json");
    assertThatThrownBy(() -> BenchCommand.selectSystems(List.of("grpc")))
        .hasMessageContaining("unknown system 'grpc'");
  }

  /** {@code r} as measured in {@code round}, load unknown. */
  private static BenchResult at(int round, BenchResult r) {
    return r.inRound(round, Double.NaN, Double.NaN, false, Double.NaN);
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
