package io.vigil.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics {@code docs/metrics.md} documents, read from its index tables (the tables whose
 * header is {@code | metric | type | unit | labels |}). The user-facing page is the one list of
 * what the agent may expose: every scrape in the integration tests is checked against it ({@link
 * #assertDocuments}), and the dashboard and rule checks take their allowed names from it.
 */
public final class MetricReference {

  /** Where the reference lives, relative to the repository root. */
  public static final String FILE = "docs/metrics.md";

  private static final Pattern HEADER = Pattern.compile("\\|\\s*metric\\s*\\|\\s*type\\s*\\|\\s*unit\\s*\\|\\s*labels\\s*\\|");
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");
  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary");
  /** Labels the exposition format adds to series of a histogram or summary. */
  private static final Set<String> FORMAT_LABELS = Set.of("le", "quantile");

  private static MetricReference loaded;

  private final Map<String, Metric> metrics;

  /** One documented metric: its name as exposed in the text format, its type and label names. */
  public record Metric(String name, String type, Set<String> labels) {

    /**
     * The series names it is exposed as. {@code _created} only in OpenMetrics, which the classic
     * text format leaves out.
     */
    public Set<String> series(boolean withCreated) {
      Set<String> names = new LinkedHashSet<>();
      String base = name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
      switch (type) {
        case "histogram" -> {
          names.add(name + "_bucket");
          names.add(name + "_sum");
          names.add(name + "_count");
        }
        case "summary" -> {
          names.add(name + "_sum");
          names.add(name + "_count");
        }
        default -> names.add(name);
      }
      if (withCreated && !type.equals("gauge")) {
        names.add(base + "_created");
      }
      return names;
    }
  }

  private MetricReference(Map<String, Metric> metrics) {
    this.metrics = Collections.unmodifiableMap(metrics);
  }

  /** The reference of this repository, read once. */
  public static synchronized MetricReference load() {
    if (loaded == null) {
      Path file = repositoryRoot().resolve(FILE);
      try {
        loaded = parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return loaded;
  }

  /** Reads every index table of a metric reference page; fails on a malformed row. */
  public static MetricReference parse(String markdown, String source) {
    Map<String, Metric> metrics = new LinkedHashMap<>();
    String[] lines = markdown.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (!HEADER.matcher(lines[i]).lookingAt()) {
        continue;
      }
      // Skip the header and its | --- | separator; the rows run until the first non-table line.
      for (i += 2; i < lines.length && lines[i].startsWith("|"); i++) {
        Metric metric = row(lines[i], source + ":" + (i + 1));
        if (metrics.put(metric.name(), metric) != null) {
          throw new IllegalStateException(source + ":" + (i + 1) + ": " + metric.name() + " documented twice");
        }
      }
    }
    if (metrics.isEmpty()) {
      throw new IllegalStateException(source + " has no | metric | type | unit | labels | table");
    }
    return new MetricReference(metrics);
  }

  private static Metric row(String line, String where) {
    String[] cells = line.split("\\|", -1);
    if (cells.length < 5) {
      throw new IllegalStateException(where + ": expected | metric | type | unit | labels |, got " + line);
    }
    Matcher name = CODE.matcher(cells[1].trim());
    String type = cells[2].trim();
    if (!name.matches() || !TYPES.contains(type)) {
      throw new IllegalStateException(where + ": expected a `metric` and one of " + TYPES + ", got " + line);
    }
    Set<String> labels = new TreeSet<>();
    Matcher label = CODE.matcher(cells[4]);
    while (label.find()) {
      labels.add(label.group(1));
    }
    return new Metric(name.group(1), type, Collections.unmodifiableSet(labels));
  }

  public Map<String, Metric> metrics() {
    return metrics;
  }

  /** Every label name of every documented metric. */
  public Set<String> labelNames() {
    Set<String> names = new TreeSet<>();
    metrics.values().forEach(m -> names.addAll(m.labels()));
    return names;
  }

  /** The documented metric a series belongs to, or null. */
  public Metric metricOf(String seriesName) {
    for (Metric metric : metrics.values()) {
      if (metric.series(true).contains(seriesName)) {
        return metric;
      }
    }
    return null;
  }

  /**
   * Fails when the scrape holds a series that the reference does not document, or a series with a
   * label its metric does not list: a user reading the page must find everything the agent shows.
   */
  public void assertDocuments(MetricsSnapshot scrape) {
    Set<String> problems = new TreeSet<>();
    for (Sample sample : scrape.samples()) {
      Metric metric = metricOf(sample.name());
      if (metric == null) {
        problems.add(sample.name() + " is not documented");
        continue;
      }
      for (String label : sample.labels().keySet()) {
        if (!metric.labels().contains(label) && !FORMAT_LABELS.contains(label)) {
          problems.add(sample.name() + " has the label " + label + ", which is not documented for " + metric.name());
        }
      }
    }
    if (!problems.isEmpty()) {
      List<String> lines = new ArrayList<>(problems);
      throw new AssertionError("/metrics exposes what " + FILE + " does not document; add it there (type, unit,"
          + " labels, meaning) or stop emitting it:\n  " + String.join("\n  ", lines));
    }
  }

  /**
   * The repository root: the {@code vigil.repo.root} property that the build passes to the tests,
   * else the nearest directory at or above the working directory that holds the reference.
   */
  public static Path repositoryRoot() {
    String configured = System.getProperty("vigil.repo.root");
    // An unresolved "${vigil.repo.root}" from a build file that passes the property through counts as unset.
    if (configured != null && !configured.isBlank() && !configured.startsWith("${")) {
      return Paths.get(configured).toAbsolutePath().normalize();
    }
    Path start = Paths.get("").toAbsolutePath().normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(FILE))) {
        return dir;
      }
    }
    throw new IllegalStateException("no " + FILE + " at or above " + start + "; set -Dvigil.repo.root");
  }
}
