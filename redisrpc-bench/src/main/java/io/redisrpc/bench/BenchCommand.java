package io.redisrpc.bench;

import io.redisrpc.bench.jmh.JmhRunner;
import io.redisrpc.testing.RedisProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code redisrpc bench}: the same echo workload through redisrpc (JSON and MessagePack, default
 * and idempotent endpoints, MessagePack with a shared secret), Redisson RemoteService, raw Lettuce
 * pub/sub (the floor of any RPC over Redis) and NATS request-reply, alternating between them within
 * one run, for one round or several ({@code --repeat}). Prints calls/s and latency percentiles with
 * the machine's load, the ratios of redisrpc to each peer (their median and range over the rounds)
 * and the issue's targets met or missed, and writes {@code results.json}, {@code results.csv} and
 * {@code chart.svg}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = BenchCommand.Version.class,
    sortOptions = false,
    description = {
      "Benchmarks redisrpc against Redisson, NATS and raw Redis pub/sub.",
      "",
      "Echoes 64 B and 1 KiB through redisrpc (JSON and MessagePack, default and",
      "idempotent endpoints, MessagePack signed with a shared secret), Redisson",
      "RemoteService, NATS request-reply and the floor (raw Lettuce pub/sub",
      "ping-pong, two PUBLISH per call), with one sequential caller and with 64 and",
      "256 calls in flight, client and server in this JVM, alternating between the",
      "systems, --repeat times. Prints calls/s, p50/p99/p99.9 latency, the 1-minute",
      "load average around each cell and the CPU other processes took during it",
      "(warning when above a quarter of the cores), the ratios of redisrpc to each",
      "peer (median and range over the rounds) and the targets met or missed, and",
      "writes results.json, results.csv, chart.svg and report.txt to --out.",
      "",
    },
    footer = {
      "",
      "Without --redis or REDIS_URL the bench starts its own redis-server on a free",
      "port of 127.0.0.1 and stops it afterwards. NATS is skipped, saying so, when",
      "no nats-server answers at --nats (start one: nats-server -a 127.0.0.1).",
      "On a Redis Cluster (--redis redis-cluster://host:port,...) the floor uses",
      "sharded pub/sub, redisrpc connects through one RedisRpc root, and the report",
      "adds each primary's share of the Redis commands and CPU of every workload.",
      "Systems: floor, redisrpc-msgpack, redisrpc-msgpack-idem,",
      "redisrpc-msgpack-signed, redisrpc-json, redisrpc-json-idem (or all five:",
      "redisrpc), redisson, nats.",
    })
public final class BenchCommand implements Callable<Integer> {
  /** The environment variable giving the default of {@code --redis}. */
  public static final String REDIS_URL = "REDIS_URL";

  /** The environment variable giving the default of {@code --nats}. */
  public static final String NATS_URL = "NATS_URL";

  static final String DEFAULT_NATS = "nats://127.0.0.1:4222";

  /** The most services {@code --shards} spreads over: those of {@link BenchEcho#SHARDS}. */
  static final int MAX_SHARDS = 8;

  /** The most rounds of {@code --repeat}. */
  static final int MAX_REPEAT = 100;

  static final List<String> SYSTEM_IDS =
      List.of(
          "floor",
          "redisrpc-msgpack",
          "redisrpc-msgpack-idem",
          "redisrpc-msgpack-signed",
          "redisrpc-json",
          "redisrpc-json-idem",
          "redisson",
          "nats");

  private final Map<String, String> environment;

  @Spec private CommandSpec spec;

  @Option(
      names = "--redis",
      paramLabel = "URL",
      description =
          "Redis to run on: redis://host:6379, rediss://..., redis-sentinel://host:26379#name or redis-cluster://host:port[,host:port...]. Default: REDIS_URL, else an embedded redis-server.")
  private String redis;

  @Option(
      names = "--shards",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "On a Redis Cluster: spread the floor and redisrpc over N services (1 to 8), each in a slot of its own on the primaries in turn, calls going to each in turn. Default: ${DEFAULT-VALUE}, one service in one slot.")
  private int shards;

  @Option(
      names = "--nats",
      paramLabel = "URL",
      description =
          "nats-server for NATS request-reply. Default: NATS_URL, else " + DEFAULT_NATS + ".")
  private String nats;

  @Option(
      names = "--duration",
      paramLabel = "TIME",
      converter = DurationConverter.class,
      description =
          "Measured time per system and workload, e.g. 5s or 1500ms. Default: 5s (--quick: 1.5s).")
  private Duration duration;

  @Option(
      names = "--warmup",
      paramLabel = "TIME",
      converter = DurationConverter.class,
      description = "Warm-up before each measurement. Default: 2s (--quick: 0.5s).")
  private Duration warmup;

  @Option(
      names = "--quick",
      description =
          "Short warm-up and measurement: every system and workload in under two minutes.")
  private boolean quick;

  @Option(
      names = "--repeat",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Runs the whole matrix N times, interleaved (each round visits every system and workload, starting one system further along), keeps every round, and reports each ratio's median and range; targets are judged on the median. Default: ${DEFAULT-VALUE}.")
  private int repeat;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "bench-results",
      description = "Where the result files go. Default: ${DEFAULT-VALUE}.")
  private Path out;

  @Option(
      names = "--systems",
      paramLabel = "ID",
      split = ",",
      description = "Systems to run (ids or the prefix redisrpc). Default: all.")
  private List<String> systems;

  @Option(
      names = "--in-flight",
      paramLabel = "N",
      split = ",",
      description = "Calls in flight; 1 is the sequential caller. Default: 1,64,256.")
  private List<Integer> inFlights;

  @Option(
      names = "--payloads",
      paramLabel = "BYTES",
      split = ",",
      description = "Echoed payload sizes in bytes. Default: 64,1024.")
  private List<Integer> payloads;

  @Option(
      names = "--jmh",
      description =
          "Instead: run the JMH benchmark of the per-call CPU path without Redis (ns/op and B/op of the Dropbox upload).")
  private boolean jmh;

  /** The command as run from a shell, with the process environment. */
  public BenchCommand() {
    this(System.getenv());
  }

  /** The command with {@code environment} in place of the process environment; for tests. */
  public BenchCommand(Map<String, String> environment) {
    this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
  }

  /**
   * Runs the command: the main class of {@code redisrpc-bench/target/redisrpc-bench.jar}, which
   * {@code ./redisrpc bench ARGS...} runs, e.g. {@code java -jar redisrpc-bench.jar --quick}. Exits
   * with 0 on success, 1 when the bench failed (one line on standard error), 2 for invalid usage.
   */
  public static void main(String[] args) {
    quietNettyOnNewJava();
    System.exit(commandLine(new BenchCommand()).execute(args));
  }

  /**
   * {@code command} as {@code redisrpc bench}, with one line on standard error for invalid usage
   * and for a failure, as the other {@code redisrpc} commands do, rather than a stack trace.
   */
  public static CommandLine commandLine(BenchCommand command) {
    CommandLine commandLine = new CommandLine(command).setCommandName("redisrpc bench");
    commandLine.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine failed = ex.getCommandLine();
          PrintWriter err = failed.getErr();
          err.println(failed.getCommandName() + ": " + ex.getMessage());
          err.println("Try '" + failed.getCommandName() + " --help' for more information.");
          return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
    commandLine.setExecutionExceptionHandler(
        (ex, failed, parseResult) -> {
          failed.getErr().println(failed.getCommandName() + ": error: " + describe(ex));
          return 1;
        });
    return commandLine;
  }

  /**
   * On Java 24 and later, the JVM prints a warning to standard error when Netty (under Lettuce and
   * Redisson) uses {@code sun.misc.Unsafe}; Netty's {@code io.netty.noUnsafe} avoids it unless set
   * already.
   */
  private static void quietNettyOnNewJava() {
    if (Runtime.version().feature() >= 24 && System.getProperty("io.netty.noUnsafe") == null) {
      System.setProperty("io.netty.noUnsafe", "true");
    }
  }

  private String env(String name) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private PrintWriter out() {
    return spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
  }

  private PrintWriter err() {
    return spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
  }

  @Override
  public Integer call() throws Exception {
    quietLogs();
    PrintWriter out = out();
    if (jmh) {
      return JmhRunner.run(quick, out, outDir());
    }
    Duration warm =
        warmup != null ? warmup : quick ? Duration.ofMillis(500) : Duration.ofSeconds(2);
    Duration measure =
        duration != null ? duration : quick ? Duration.ofMillis(1500) : Duration.ofSeconds(5);
    List<Integer> loads = inFlights != null ? inFlights : List.of(1, 64, 256);
    List<Integer> sizes = payloads != null ? payloads : List.of(64, 1024);
    for (int n : loads) {
      if (n < 1 || n > 10_000) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--in-flight must be 1 to 10000: " + n);
      }
    }
    for (int n : sizes) {
      if (n < 1 || n > 512 * 1024) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--payloads must be 1 to 524288 bytes: " + n);
      }
    }
    if (repeat < 1 || repeat > MAX_REPEAT) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--repeat must be 1 to " + MAX_REPEAT + ": " + repeat);
    }
    if (shards < 1 || shards > MAX_SHARDS) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--shards must be 1 to " + MAX_SHARDS + ": " + shards);
    }
    Set<String> selected = selectSystems(systems);
    String redisUri = redis != null && !redis.isBlank() ? redis.trim() : env(REDIS_URL);
    String natsUrl =
        nats != null && !nats.isBlank()
            ? nats.trim()
            : env(NATS_URL) != null ? env(NATS_URL) : DEFAULT_NATS;

    RedisProcess embedded = null;
    List<AutoCloseable> closeables = new ArrayList<>();
    try {
      if (redisUri == null) {
        out.println(
            "# no --redis or "
                + REDIS_URL
                + ": starting an embedded redis-server ("
                + RedisProcess.binary()
                + ")");
        out.flush();
        embedded = RedisProcess.start();
        redisUri = embedded.uri();
      }
      RedisDeployment deployment = RedisDeployment.of(redisUri);
      if (shards > 1 && !deployment.isCluster()) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--shards needs a Redis Cluster (--redis redis-cluster://...)");
      }
      RedisStats stats = new RedisStats(deployment);
      closeables.add(stats);
      Machine machine = Machine.describe(stats.version());
      out.println("# " + machine.line());
      out.println(
          "# Redis at " + redact(redisUri) + "; client and server of every system in this JVM");
      List<String> primaries = new ArrayList<>();
      if (deployment.isCluster()) {
        for (RedisDeployment.Primary p : deployment.primaries()) {
          primaries.add(p.address() + " (slots " + p.slots() + ")");
        }
        out.printf(
            Locale.ROOT,
            "# Redis Cluster of %d primaries: %s%n",
            primaries.size(),
            String.join(", ", primaries));
        if (machine.cores() < primaries.size() + 1) {
          out.printf(
              Locale.ROOT,
              "# %d cores for %d primaries and this JVM: throughput cannot grow with shards here;"
                  + " the report's ceiling column is what each placement allows with a core per"
                  + " primary%n",
              machine.cores(),
              primaries.size());
        }
      }
      // On a cluster, the floor's channels of each shard go where that shard's redisrpc service is.
      List<Class<? extends BenchEcho>> services =
          deployment.isCluster()
              ? RedisRpcTargets.spread(deployment, shards)
              : List.of(BenchEcho.class);
      List<RedisDeployment.Primary> placement = new ArrayList<>();
      if (deployment.isCluster()) {
        services.forEach(s -> placement.add(RedisRpcTargets.owner(deployment, s)));
      }
      List<Target> targets = new ArrayList<>();
      if (selected.contains("floor")) {
        FloorTarget floor = new FloorTarget(deployment, placement);
        closeables.add(floor);
        targets.add(floor);
        if (deployment.isCluster()) {
          out.println(
              "# floor: sharded pub/sub, channels on " + String.join(", ", floor.placement()));
        }
      }
      if (selected.stream().anyMatch(id -> id.startsWith("redisrpc"))) {
        List<Class<? extends BenchEcho>> signed =
            !selected.contains("redisrpc-msgpack-signed")
                ? List.of()
                : deployment.isCluster()
                    ? RedisRpcTargets.signedAlongside(deployment, services)
                    : List.of(BenchEcho.Signed.class);
        RedisRpcTargets rpc =
            new RedisRpcTargets(
                deployment, loads.stream().mapToInt(i -> i).max().orElse(1), services, signed);
        closeables.add(rpc);
        for (Target t : rpc.targets()) {
          if (selected.contains(t.id())) {
            targets.add(t);
          }
        }
        if (deployment.isCluster()) {
          List<String> where = new ArrayList<>();
          rpc.placement().forEach((service, node) -> where.add(service + " on " + node));
          out.println("# redisrpc: one RedisRpc root; services " + String.join(", ", where));
        }
      }
      if (selected.contains("redisson")) {
        try {
          RedissonTarget redisson = new RedissonTarget(deployment);
          closeables.add(redisson);
          targets.add(redisson);
        } catch (UnsupportedOperationException e) {
          out.println("# Redisson: skipped: " + describe(e));
        } catch (RuntimeException e) {
          if (!deployment.isCluster()) {
            throw e;
          }
          out.println("# Redisson: skipped: it did not start on the cluster (" + describe(e) + ")");
        }
      }
      if (selected.contains("nats")) {
        try {
          NatsTarget natsTarget = NatsTarget.connect(natsUrl);
          closeables.add(natsTarget);
          targets.add(natsTarget);
          out.println("# NATS at " + redact(natsUrl));
        } catch (IOException | RuntimeException e) {
          out.println(
              "# NATS: skipped: no nats-server answered at "
                  + redact(natsUrl)
                  + " ("
                  + describe(e)
                  + ")");
        }
      }
      if (targets.isEmpty()) {
        err().println("bench: nothing to run");
        return 1;
      }
      for (Target t : targets) {
        verify(t);
      }
      // One round of every system before any measurement, so that the first system measured is
      // not the one that pays for the JIT compiling the shared paths (Lettuce, Netty, Jackson).
      Duration jit = warm.multipliedBy(3).dividedBy(2);
      out.printf(Locale.ROOT, "# warming up each system for %s (JIT)%n", seconds(jit));
      out.flush();
      int jitLoad = Math.min(64, loads.stream().mapToInt(i -> i).max().orElse(1));
      byte[] jitPayload = new byte[sizes.stream().mapToInt(i -> i).max().orElse(64)];
      for (Target t : targets) {
        runCell(t, stats, jitPayload, jitLoad, jit, Duration.ofMillis(1), false, 1, machine);
      }
      int cells = targets.size() * loads.size() * sizes.size() * repeat;
      out.printf(
          Locale.ROOT,
          "# %d systems x %d workloads%s, %s warm-up + %s measured each: about %d s%n",
          targets.size(),
          loads.size() * sizes.size(),
          repeat > 1 ? " x " + repeat + " rounds" : "",
          seconds(warm),
          seconds(measure),
          Math.round(cells * (warm.toMillis() + measure.toMillis() + 150) / 1000.0));
      out.printf(
          Locale.ROOT,
          "# 1-minute load average now %s; a cell counts as busy when other processes (not this"
              + " JVM, redis-server or nats-server) use more than %s cores during it (a quarter of"
              + " the %d)%n",
          Report.load(Machine.loadAverage()),
          Report.trimCores(machine.busyOtherCpu()),
          machine.cores());
      out.flush();

      List<Report.Cell> results = new ArrayList<>();
      int done = 0;
      for (int round = 1; round <= repeat; round++) {
        int workload = 0;
        for (int inFlight : loads) {
          for (int size : sizes) {
            byte[] payload = new byte[size];
            new Random(size).nextBytes(payload);
            // Round-robin: each workload visits every system, starting one further along, and
            // one further again in each round.
            for (int k = 0; k < targets.size(); k++) {
              Target t = targets.get((workload + round - 1 + k) % targets.size());
              done++;
              String at =
                  String.format(
                      Locale.ROOT,
                      "  [%2d/%d]%s %-29s %3d in flight %6s:",
                      done,
                      cells,
                      repeat > 1 ? " r" + round : "",
                      BenchResult.variantOf(t.system(), t.codec(), t.workload()),
                      inFlight,
                      ChartSvg.bytes(size));
              try {
                Report.Cell cell =
                    runCell(
                        t,
                        stats,
                        payload,
                        inFlight,
                        warm,
                        measure,
                        deployment.isCluster(),
                        round,
                        machine);
                results.add(cell);
                BenchResult r = cell.result();
                out.printf(
                    Locale.ROOT,
                    "%s %,9.0f calls/s  p50 %,7.0f us  p99 %,7.0f us  load %s-%s  other %s%s%n",
                    at,
                    r.callsPerS(),
                    r.p50Us(),
                    r.p99Us(),
                    Report.load(r.loadBefore()),
                    Report.load(r.loadAfter()),
                    Report.load(r.otherCpu()),
                    cell.extras().errors() > 0
                        ? "  ("
                            + cell.extras().errors()
                            + " errors: "
                            + cell.extras().firstError()
                            + ")"
                        : "");
                if (r.busy()) {
                  out.printf(
                      Locale.ROOT,
                      "  WARNING: busy machine: other processes used %s cores during this cell,"
                          + " more than %s (a quarter of the %d): its numbers may be off%n",
                      Report.load(r.otherCpu()),
                      Report.trimCores(machine.busyOtherCpu()),
                      machine.cores());
                }
              } catch (RuntimeException e) {
                out.printf(Locale.ROOT, "%s FAILED: %s%n", at, describe(e));
              }
              out.flush();
            }
            workload++;
          }
        }
      }

      List<BenchResult> records = results.stream().map(Report.Cell::result).toList();
      Targets judged = Targets.of(results);
      StringBuilder report = new StringBuilder();
      report.append("# ").append(machine.line()).append('\n');
      report.append(
          String.format(
              Locale.ROOT,
              "# %s warm-up + %s measured per system and workload%s; latency in µs%n",
              seconds(warm),
              seconds(measure),
              repeat > 1 ? ", " + repeat + " rounds, interleaved" : ""));
      String load = Report.loadSummary(records, machine.cores());
      report.append(load);
      report.append('\n');
      report.append(Report.table(results)).append('\n');
      String cluster = Report.cluster(results, primaries);
      if (!cluster.isEmpty()) {
        report.append(cluster).append('\n');
      }
      report.append(Report.breakdown(results)).append('\n');
      report.append(Report.ratios(judged)).append('\n');
      report.append(judged.summary());
      if (load.startsWith("WARNING")) {
        // Again at the end, where the reader of the targets stops.
        report.append('\n').append(load);
      }
      out.println();
      out.print(report);
      Path dir = outDir();
      String subtitle =
          machine.line()
              + "; warm-up "
              + seconds(warm)
              + " + "
              + seconds(measure)
              + " measured per cell"
              + (repeat > 1 ? ", " + repeat + " rounds" : "")
              + "; "
              + LocalDate.now();
      List<Path> files = new ArrayList<>(ResultsWriter.writeAll(dir, records, subtitle, judged));
      Path text = dir.resolve("report.txt");
      Files.writeString(text, report.toString(), StandardCharsets.UTF_8);
      files.add(text);
      out.println();
      for (Path f : files) {
        out.println("wrote " + f);
      }
      out.flush();
      return 0;
    } finally {
      for (int i = closeables.size() - 1; i >= 0; i--) {
        try {
          closeables.get(i).close();
        } catch (Exception e) {
          err().println("bench: closing: " + describe(e));
        }
      }
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private Path outDir() {
    return out != null ? out : Path.of("bench-results");
  }

  /**
   * Runs {@code t} under one workload and measures it as part of {@code round}, with the 1-minute
   * load average of {@code machine} when it starts and when its measurement ends, and the CPU other
   * processes used during the measurement; with {@code byNode}, also each node's costs (for a
   * system that is Redis).
   */
  private static Report.Cell runCell(
      Target t,
      RedisStats stats,
      byte[] payload,
      int inFlight,
      Duration warm,
      Duration measure,
      boolean byNode,
      int round,
      Machine machine) {
    double loadBefore = Machine.loadAverage();
    double[] loadAfter = {Double.NaN};
    // NATS cells make nats-server work: its CPU is the bench's, not another process's.
    long natsPid = t.system().equals("nats") ? Machine.findProcess("nats-server") : -1;
    RedisStats.Snapshot[] snapshots = new RedisStats.Snapshot[2];
    Machine.CpuSample[] cpu = new Machine.CpuSample[2];
    long[] csw = new long[2];
    // Calls completed around each reading: Redis' counters and /proc take a round trip or a
    // few milliseconds to read, while calls go on.
    double[] redisCalls = new double[2];
    double[] cswCalls = new double[2];
    long[] redisNanos = new long[2];
    LoadRunner.Measurement m;
    try {
      t.beforeWorkload(inFlight);
      try {
        m =
            LoadRunner.run(
                t,
                payload,
                inFlight,
                warm,
                measure,
                Duration.ofSeconds(60),
                new LoadRunner.WindowListener() {
                  @Override
                  public void windowStarted(java.util.function.LongSupplier completed) {
                    long c0 = completed.getAsLong();
                    redisNanos[0] = System.nanoTime();
                    snapshots[0] = stats.snapshot();
                    long c1 = completed.getAsLong();
                    csw[0] = Machine.contextSwitches();
                    long c2 = completed.getAsLong();
                    cpu[0] = Machine.CpuSample.read(natsPid);
                    redisCalls[0] = (c0 + c1) / 2.0;
                    cswCalls[0] = (c1 + c2) / 2.0;
                  }

                  @Override
                  public void windowEnded(java.util.function.LongSupplier completed) {
                    loadAfter[0] = Machine.loadAverage();
                    cpu[1] = Machine.CpuSample.read(natsPid);
                    long c0 = completed.getAsLong();
                    csw[1] = Machine.contextSwitches();
                    long c1 = completed.getAsLong();
                    snapshots[1] = stats.snapshot();
                    redisNanos[1] = System.nanoTime();
                    long c2 = completed.getAsLong();
                    cswCalls[1] = (c0 + c1) / 2.0;
                    redisCalls[1] = (c1 + c2) / 2.0;
                  }
                });
      } finally {
        t.afterWorkload();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    long calls = Math.max(1, m.calls());
    double redisWindowCalls = Math.max(1, redisCalls[1] - redisCalls[0]);
    double cswWindowCalls = Math.max(1, cswCalls[1] - cswCalls[0]);
    Map<String, Double> perCall = snapshots[1].commandsPerCall(snapshots[0], redisWindowCalls);
    double redisCmds = perCall.values().stream().mapToDouble(Double::doubleValue).sum();
    double redisCpu = (snapshots[1].cpuSeconds() - snapshots[0].cpuSeconds()) * 1e6;
    double redisSeconds = Math.max(1e-9, (redisNanos[1] - redisNanos[0]) / 1e9);
    double otherCpu = Machine.otherCpu(cpu[0], cpu[1], redisCpu / 1e6 / redisSeconds);
    List<Report.NodeCost> nodes = new ArrayList<>();
    if (byNode && !t.system().equals("nats")) {
      List<String> names = stats.nodes();
      for (int i = 0; i < names.size(); i++) {
        double cpuSeconds = snapshots[1].cpuSeconds(snapshots[0], i);
        nodes.add(
            new Report.NodeCost(
                names.get(i),
                snapshots[1].commands(snapshots[0], i) / redisWindowCalls,
                cpuSeconds * 1e6 / redisWindowCalls,
                100.0 * cpuSeconds / redisSeconds));
      }
    }
    BenchResult result =
        new BenchResult(
            t.system(),
            t.codec(),
            t.workload(),
            inFlight,
            payload.length,
            m.callsPerSecond(),
            m.calls() == 0 ? 0 : m.latencyNanos().getValueAtPercentile(50) / 1000.0,
            m.calls() == 0 ? 0 : m.latencyNanos().getValueAtPercentile(99) / 1000.0,
            m.calls() == 0 ? 0 : m.latencyNanos().getValueAtPercentile(99.9) / 1000.0,
            Report.shares(nodes),
            round,
            loadBefore,
            loadAfter[0],
            Machine.busy(otherCpu, machine.cores()),
            otherCpu);
    Report.Extras extras =
        new Report.Extras(
            m.errors(),
            m.firstError(),
            redisCmds,
            redisCpu / redisWindowCalls,
            100.0 * redisCpu / 1e6 / redisSeconds,
            (cpu[1].jvmCpuNanos() - cpu[0].jvmCpuNanos()) / 1000.0 / calls,
            csw[0] < 0 || csw[1] < 0 ? -1 : (csw[1] - csw[0]) / cswWindowCalls,
            perCall,
            nodes);
    return new Report.Cell(result, extras);
  }

  /**
   * One call whose echo must come back intact, so that a broken system fails before it is measured.
   */
  private static void verify(Target t) throws Exception {
    byte[] probe = "redisrpc-bench-probe".getBytes(StandardCharsets.UTF_8);
    t.beforeWorkload(1);
    try {
      byte[] echoed = t.call(probe).get(30, TimeUnit.SECONDS);
      if (!Arrays.equals(probe, echoed)) {
        throw new IllegalStateException(t.id() + " did not echo its payload");
      }
    } finally {
      t.afterWorkload();
    }
  }

  static Set<String> selectSystems(List<String> filters) {
    if (filters == null || filters.isEmpty()) {
      return new LinkedHashSet<>(SYSTEM_IDS);
    }
    Set<String> selected = new LinkedHashSet<>();
    for (String raw : filters) {
      String f = raw.trim().toLowerCase(Locale.ROOT);
      if (f.isEmpty()) {
        continue;
      }
      if (SYSTEM_IDS.contains(f)) {
        selected.add(f);
        continue;
      }
      boolean any = false;
      for (String id : SYSTEM_IDS) {
        if (id.startsWith(f + "-")) {
          selected.add(id);
          any = true;
        }
      }
      if (!any) {
        throw new IllegalArgumentException(
            "unknown system '" + raw + "': use " + String.join(", ", SYSTEM_IDS) + " or redisrpc");
      }
    }
    return selected;
  }

  private static void quietLogs() {
    // slf4j-simple: Redisson and Netty log at INFO by default.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
  }

  static String seconds(Duration d) {
    double s = d.toMillis() / 1000.0;
    return (s == Math.rint(s)
            ? String.format(Locale.ROOT, "%.0f", s)
            : String.format(Locale.ROOT, "%.2f", s).replaceAll("0+$", ""))
        + " s";
  }

  static String redact(String uri) {
    return uri.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^@/]*@", "$1***@");
  }

  static String describe(Throwable e) {
    Throwable t = e;
    while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage();
    return message == null
        ? t.getClass().getSimpleName()
        : message.strip().lines().findFirst().orElse("");
  }

  /** Answers {@code redisrpc bench --version}: the version in the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = BenchCommand.class.getPackage().getImplementationVersion();
      return new String[] {
        "redisrpc bench " + (version != null ? version : "unknown"),
        "Java ${java.version} (${java.vendor} ${java.vm.name} ${java.vm.version})",
      };
    }
  }

  /**
   * Parses {@code 500ms}, {@code 2s}, {@code 1m}, a plain number of seconds, or ISO-8601 ({@code
   * PT2S}).
   */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      Duration d;
      try {
        if (v.startsWith("pt")) {
          d = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
        } else if (v.endsWith("ms")) {
          d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 2))));
        } else if (v.endsWith("s")) {
          d =
              Duration.ofMillis(
                  Math.round(1000 * Double.parseDouble(v.substring(0, v.length() - 1))));
        } else if (v.endsWith("m")) {
          d =
              Duration.ofMillis(
                  Math.round(60_000 * Double.parseDouble(v.substring(0, v.length() - 1))));
        } else {
          d = Duration.ofMillis(Math.round(1000 * Double.parseDouble(v)));
        }
      } catch (RuntimeException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a duration such as 500ms, 2s or 1m");
      }
      if (d.isNegative()) {
        throw new CommandLine.TypeConversionException("'" + value + "' is negative");
      }
      return d;
    }
  }
}
