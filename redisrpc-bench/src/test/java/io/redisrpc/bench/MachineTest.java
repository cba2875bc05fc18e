package io.redisrpc.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MachineTest {
  @Test
  void parsesTheMachinesTicksFromProcStat() {
    String procStat =
        "cpu  86570 10 21076 67381 414 3 5831 2309 700 0\n"
            + "cpu0 43101 5 10236 34405 51 1 2873 1163 350 0\n"
            + "cpu1 43469 5 10839 32975 363 2 2958 1146 350 0\n"
            + "intr 3081590 0 0\n"
            + "ctxt 123456\n";

    Machine.CpuTicks ticks = Machine.CpuTicks.parse(procStat);

    // Busy: user, nice, system, irq, softirq, steal; idle and iowait are not; guest is in user.
    assertThat(ticks.busy()).isEqualTo(86570 + 10 + 21076 + 3 + 5831 + 2309);
    assertThat(ticks.total()).isEqualTo(ticks.busy() + 67381 + 414);
    assertThat(ticks.cpus()).isEqualTo(2);
    assertThat(Machine.CpuTicks.parse("intr 1 2 3\n")).isNull();
  }

  @Test
  void parsesAProcessesTicksPastACommandWithSpaces() {
    String stat =
        "2996 (nats server) S 1 2995 2995 0 -1 4194304 71115 0 0 0 1403 1480 0 0 20 0 10 0 4174";

    assertThat(Machine.parseProcessTicks(stat)).isEqualTo(1403 + 1480);
    assertThat(Machine.processTicks(-1)).isEqualTo(-1);
  }

  @Test
  void otherCpuIsTheMachinesBusyCpuLessTheBenchsOwn() {
    // 2 s on 2 CPUs: 400 ticks, 300 of them busy (1.5 cores). The JVM took 1.6 s (0.8 cores),
    // Redis 0.3 cores, nats-server 40 ticks (0.2 cores): 0.2 cores left for other processes.
    Machine.CpuSample before =
        new Machine.CpuSample(0, 0, new Machine.CpuTicks(1000, 5000, 2), 100);
    Machine.CpuSample after =
        new Machine.CpuSample(
            2_000_000_000L, 1_600_000_000L, new Machine.CpuTicks(1300, 5400, 2), 140);

    assertThat(Machine.otherCpu(before, after, 0.3)).isCloseTo(0.2, within(1e-9));
    // Without nats-server's ticks, nothing is taken off for it.
    Machine.CpuSample noHelper = new Machine.CpuSample(0, 0, before.machine(), -1);
    assertThat(Machine.otherCpu(noHelper, after, 0.3)).isCloseTo(0.4, within(1e-9));
    // Never below 0 (the readings are not taken at the very same instant).
    assertThat(Machine.otherCpu(before, after, 1.0)).isZero();
    // Unknown without /proc/stat.
    Machine.CpuSample unknown = new Machine.CpuSample(0, 0, null, -1);
    assertThat(Machine.otherCpu(unknown, after, 0.3)).isNaN();
  }

  @Test
  void aCellIsBusyWhenOtherProcessesTookMoreThanAQuarterOfTheCores() {
    assertThat(Machine.busy(0.5, 2)).isFalse();
    assertThat(Machine.busy(0.51, 2)).isTrue();
    assertThat(Machine.busy(0.9, 4)).isFalse();
    assertThat(Machine.busy(1.1, 4)).isTrue();
    assertThat(Machine.busy(Double.NaN, 2)).as("unknown").isFalse();
    assertThat(new Machine(2, "cpu", "java", "redis").busyOtherCpu()).isEqualTo(0.5);
  }

  @Test
  void readsThisMachinesTicksWhereThereIsProc() {
    Machine.CpuTicks ticks = Machine.CpuTicks.read();
    if (ticks != null) {
      assertThat(ticks.cpus()).isPositive();
      assertThat(ticks.total()).isGreaterThanOrEqualTo(ticks.busy()).isPositive();
    }
  }
}
