package io.redisrpc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a run measured: cores, CPU model, JDK and Redis version. */
record Machine(int cores, String cpu, String java, String redis) {
  static Machine describe(String redisVersion) {
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        cpuModel(),
        System.getProperty("java.vendor", "") + " " + System.getProperty("java.version", "?"),
        redisVersion == null ? "?" : redisVersion);
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim().replaceAll("\\s+", " ");
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return System.getProperty("os.arch", "unknown CPU");
  }

  /**
   * The 1-minute load average ({@code /proc/loadavg}): threads running or waiting for a core,
   * averaged over the last minute, of every process (this one's included); NaN where there is no
   * {@code /proc}.
   */
  static double loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return Double.parseDouble(fields[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The load average above which the machine counts as busy: half its cores. */
  double busyLoad() {
    return cores / 2.0;
  }

  /** Whether either reading (NaN: unknown) is above {@link #busyLoad()}. */
  boolean busy(double loadBefore, double loadAfter) {
    return loadBefore > busyLoad() || loadAfter > busyLoad();
  }

  /**
   * Context switches of this process's threads so far (voluntary and involuntary, from
   * /proc/self/task), or -1 where there is no /proc. Threads that ended are not counted.
   */
  static long contextSwitches() {
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return -1;
    }
    long total = 0;
    try (java.util.stream.Stream<Path> list = Files.list(tasks)) {
      for (Path task : (Iterable<Path>) list::iterator) {
        try {
          for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")
                || line.startsWith("nonvoluntary_ctxt_switches:")) {
              total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
          }
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return total;
  }

  String line() {
    return cores + " cores, " + cpu + ", Java " + java + ", Redis " + redis;
  }
}
