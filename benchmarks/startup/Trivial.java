import java.nio.file.Files;
import java.nio.file.Paths;

/** The smallest program: prints its resident set size and exits. */
public final class Trivial {
  public static void main(String[] args) throws Exception {
    for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        System.out.println("rss_kb " + line.replaceAll("[^0-9]", ""));
      }
    }
  }
}
