package io.vigil.benchmarks.overhead;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Diagnostic commands sent to a running JVM with the {@code jcmd} of the JDK that runs it. */
final class Jcmd {

  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

  private final Path jcmd;

  /** {@code java} may be a symbolic link (Debian's alternatives): jcmd is beside the real file. */
  Jcmd(Path java) throws IOException {
    this.jcmd = java.toRealPath().resolveSibling("jcmd");
  }

  /** Java heap in use right now, in KiB, from {@code GC.heap_info}. */
  long heapUsedKb(long pid) throws IOException, InterruptedException {
    String out = run(pid, "GC.heap_info");
    Matcher m = HEAP_USED.matcher(out);
    if (!m.find()) {
      throw new IOException("no heap figure in jcmd GC.heap_info: " + out);
    }
    return Long.parseLong(m.group(1));
  }

  /** A full collection ({@code System.gc()}), so what is left on the heap is what is live. */
  void fullGc(long pid) throws IOException, InterruptedException {
    run(pid, "GC.run");
  }

  private String run(long pid, String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("jcmd " + pid + " " + command + " failed: " + out);
    }
    return out;
  }
}
