package io.vigil.benchmarks.overhead;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the log that {@link #JVM_FLAG} writes: for each collection, when its pause ended and the
 * heap in use before and after it, in KiB (the {@code gc+heap=debug} lines), so allocation over a
 * window is exact to the KiB rather than to the MiB of the one-line summary.
 *
 * <p>Bytes allocated in a window = (used before the first GC − used at the window's start)
 * + Σ (used before GC<sub>i</sub> − used after GC<sub>i−1</sub>) + (used at the end − used after
 * the last GC): everything the heap grew by between collections. Objects allocated outside the
 * TLAB path count the same; what it cannot see is memory a concurrent phase frees outside a
 * pause, which G1 does not do for the young generation where this load allocates.
 */
final class GcLog {

  /** The same for every JVM the harness starts; {@code %s} is the log file. */
  static final String JVM_FLAG = "-Xlog:gc,gc+heap=debug:file=%s:timemillis,tags";

  record Collection(int id, long endMillis, long beforeKb, long afterKb, String kind, double pauseMillis) {}

  record Window(long allocatedBytes, int collections, double pauseMillis) {}

  private static final Pattern LINE = Pattern.compile("^\\[(\\d+)ms\\]\\[([a-z,]+)\\s*\\] GC\\((\\d+)\\) (.*)$");
  private static final Pattern USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
  private static final Pattern PAUSE = Pattern.compile(
      "^(Pause .*?) (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)[KMG]\\) ([\\d.]+)ms$");

  private final List<Collection> collections;

  private GcLog(List<Collection> collections) {
    this.collections = collections;
  }

  static GcLog read(Path file) throws IOException {
    Map<Integer, long[]> heap = new LinkedHashMap<>(); // id -> {before, after}, -1 when not seen
    Map<Integer, Boolean> afterSection = new LinkedHashMap<>();
    List<Collection> pauses = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      int id = Integer.parseInt(m.group(3));
      String text = m.group(4);
      long[] ba = heap.computeIfAbsent(id, k -> new long[] {-1, -1});
      if (text.startsWith("Heap before GC")) {
        afterSection.put(id, false);
      } else if (text.startsWith("Heap after GC")) {
        afterSection.put(id, true);
      } else {
        Matcher used = USED.matcher(text);
        Matcher pause = PAUSE.matcher(text);
        if (used.find() && afterSection.containsKey(id)) {
          ba[afterSection.get(id) ? 1 : 0] = Long.parseLong(used.group(1));
        } else if (m.group(2).equals("gc") && pause.matches()) {
          // A pause without the detailed heap lines (G1's Remark and Cleanup): its MiB summary.
          long before = ba[0] >= 0 ? ba[0] : kb(pause.group(2), pause.group(3));
          long after = ba[1] >= 0 ? ba[1] : kb(pause.group(4), pause.group(5));
          pauses.add(new Collection(id, Long.parseLong(m.group(1)), before, after, pause.group(1),
              Double.parseDouble(pause.group(7))));
        }
      }
    }
    return new GcLog(pauses);
  }

  private static long kb(String value, String unit) {
    long v = Long.parseLong(value);
    return switch (unit) {
      case "K" -> v;
      case "M" -> v * 1024;
      default -> v * 1024 * 1024;
    };
  }

  List<Collection> collections() {
    return collections;
  }

  /** Allocation and pauses between two instants at which the heap in use was {@code startKb} and {@code endKb}. */
  Window window(long startMillis, long endMillis, long startKb, long endKb) {
    long allocatedKb = 0;
    long previousAfter = startKb;
    int count = 0;
    double pauses = 0;
    for (Collection c : collections) {
      if (c.endMillis() <= startMillis || c.endMillis() > endMillis) {
        continue;
      }
      allocatedKb += Math.max(0, c.beforeKb() - previousAfter);
      previousAfter = c.afterKb();
      count++;
      pauses += c.pauseMillis();
    }
    allocatedKb += Math.max(0, endKb - previousAfter);
    return new Window(allocatedKb * 1024, count, pauses);
  }
}
