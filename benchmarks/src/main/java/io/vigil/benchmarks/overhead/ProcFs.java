package io.vigil.benchmarks.overhead;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/** CPU time and resident memory of a live process, read from Linux's {@code /proc}. */
final class ProcFs {

  private final long ticksPerSecond;

  ProcFs() {
    this.ticksPerSecond = clockTicks();
  }

  /** utime + stime of every thread of the process so far, in milliseconds (resolution 1 tick). */
  long cpuMillis(long pid) throws IOException {
    String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // fields[0] is field 3 (state); utime is field 14, stime field 15.
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * 1000 / ticksPerSecond;
  }

  /**
   * CPU time the whole machine spent busy so far (user, nice, system, irq, softirq, steal of all
   * cores), in milliseconds. Minus the application's own, it is the load generator, the harness and
   * anything else running: a run disturbed by other work shows up there.
   */
  long machineBusyMillis() throws IOException {
    String[] f = Files.readAllLines(Paths.get("/proc/stat")).get(0).trim().split("\\s+");
    long ticks = 0;
    for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
      ticks += Long.parseLong(f[i]);
    }
    return ticks * 1000 / ticksPerSecond;
  }

  long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring(6).replace("kB", "").trim());
      }
    }
    throw new IOException("no VmRSS for " + pid);
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return Long.parseLong(out);
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
