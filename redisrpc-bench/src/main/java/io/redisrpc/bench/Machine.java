package io.redisrpc.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
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

  /**
   * The share of the cores other processes may use, on average over a cell's measurement window,
   * before the cell counts as busy. Not the load average: that counts the bench's own threads and
   * its redis-server's, so on 2 cores the bench alone kept it above 1 and every cell read as busy.
   */
  static final double BUSY_OTHER_CPU_SHARE = 0.25;

  /** The CPU other processes may use, in cores, before a cell counts as busy. */
  double busyOtherCpu() {
    return busyOtherCpu(cores);
  }

  static double busyOtherCpu(int cores) {
    return cores * BUSY_OTHER_CPU_SHARE;
  }

  /**
   * Whether other processes used more than {@link #BUSY_OTHER_CPU_SHARE} of the {@code cores}
   * during a cell; false when unknown (NaN).
   */
  static boolean busy(double otherCpu, int cores) {
    return otherCpu > busyOtherCpu(cores);
  }

  /**
   * Jiffies of the whole machine since boot, from the first ({@code cpu}) line of {@code
   * /proc/stat}: {@code busy} is user, nice, system, irq, softirq and steal, {@code total} adds
   * idle and iowait; over {@code cpus} CPUs (its {@code cpuN} lines).
   */
  record CpuTicks(long busy, long total, int cpus) {
    /** Reads {@code /proc/stat}; null where there is none. */
    static CpuTicks read() {
      try {
        return parse(Files.readString(Path.of("/proc/stat")));
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }

    /** The ticks of a {@code /proc/stat} text; null when it has no {@code cpu} line. */
    static CpuTicks parse(String procStat) {
      long[] t = null;
      int cpus = 0;
      for (String line : procStat.split("\n")) {
        if (line.startsWith("cpu ")) {
          String[] f = line.trim().split("\\s+");
          // user nice system idle iowait irq softirq steal; guest time is already in user.
          t = new long[8];
          for (int i = 0; i < t.length && i + 1 < f.length; i++) {
            t[i] = Long.parseLong(f[i + 1]);
          }
        } else if (line.matches("cpu\\d+ .*")) {
          cpus++;
        }
      }
      if (t == null || cpus == 0) {
        return null;
      }
      long idle = t[3] + t[4];
      long busy = t[0] + t[1] + t[2] + t[5] + t[6] + t[7];
      return new CpuTicks(busy, busy + idle, cpus);
    }
  }

  /**
   * The pid of a process whose {@code /proc/<pid>/comm} is {@code name}, or -1 when there is none
   * (or no {@code /proc}).
   */
  static long findProcess(String name) {
    try (java.util.stream.Stream<Path> list = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) list::iterator) {
        String pid = p.getFileName().toString();
        if (pid.chars().allMatch(Character::isDigit)) {
          try {
            if (Files.readString(p.resolve("comm")).trim().equals(name)) {
              return Long.parseLong(pid);
            }
          } catch (IOException | RuntimeException e) {
            // ended meanwhile, or not ours to read
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc
    }
    return -1;
  }

  /** The CPU ticks (user + system) process {@code pid} used so far, or -1 when unknown. */
  static long processTicks(long pid) {
    if (pid < 0) {
      return -1;
    }
    try {
      return parseProcessTicks(Files.readString(Path.of("/proc/" + pid + "/stat")));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** utime + stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line. */
  static long parseProcessTicks(String stat) {
    // Field 2, the command, is in parentheses and may hold spaces: count from after it.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    // f[0] is field 3 (the state), so field n is f[n - 3].
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /**
   * What a cell's measurement window needs, read at its start and at its end, to tell the CPU other
   * processes used from the bench's own: the time, this JVM's CPU time, the machine's ticks (null
   * where unknown), and the ticks of a helper process the cell uses besides Redis (nats-server; -1
   * when none or unknown).
   */
  record CpuSample(long nanos, long jvmCpuNanos, CpuTicks machine, long helperTicks) {
    static CpuSample read(long helperPid) {
      var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      return new CpuSample(
          System.nanoTime(), os.getProcessCpuTime(), CpuTicks.read(), processTicks(helperPid));
    }
  }

  /**
   * The CPU other processes used between {@code before} and {@code after}, in cores on average
   * (0.5: half a core): the machine's busy ticks less this JVM's CPU, {@code redisCores} (the
   * redis-server's CPU over the window, in cores) and the helper's; at least 0, NaN where the
   * machine's ticks are unknown. Ticks count as shares of the window's total ticks, so no tick
   * length (USER_HZ) is needed.
   */
  static double otherCpu(CpuSample before, CpuSample after, double redisCores) {
    if (before.machine() == null || after.machine() == null) {
      return Double.NaN;
    }
    long total = after.machine().total() - before.machine().total();
    double seconds = (after.nanos() - before.nanos()) / 1e9;
    if (total <= 0 || seconds <= 0) {
      return Double.NaN;
    }
    double coresPerTick = (double) after.machine().cpus() / total;
    double machine = (after.machine().busy() - before.machine().busy()) * coresPerTick;
    double helper =
        before.helperTicks() < 0 || after.helperTicks() < 0
            ? 0
            : (after.helperTicks() - before.helperTicks()) * coresPerTick;
    double jvm = (after.jvmCpuNanos() - before.jvmCpuNanos()) / 1e9 / seconds;
    return Math.max(0, machine - jvm - redisCores - helper);
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
