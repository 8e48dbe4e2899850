package io.vigil.it.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one scrape of {@code /metrics} returned, parsed. */
public record MetricsSnapshot(List<Sample> samples, Map<String, String> types) {

  /** Samples named exactly {@code name} whose labels include the given key/value pairs. */
  public List<Sample> find(String name, String... labelPairs) {
    Map<String, String> wanted = pairs(labelPairs);
    List<Sample> found = new ArrayList<>();
    for (Sample sample : samples) {
      if (sample.name().equals(name) && sample.hasLabels(wanted)) {
        found.add(sample);
      }
    }
    return found;
  }

  /** The value of the one sample that matches; fails when there is none or more than one. */
  public double value(String name, String... labelPairs) {
    List<Sample> found = find(name, labelPairs);
    if (found.size() != 1) {
      throw new AssertionError("expected exactly one sample " + name + pairs(labelPairs) + " but found " + found);
    }
    return found.get(0).value();
  }

  public boolean has(String name, String... labelPairs) {
    return !find(name, labelPairs).isEmpty();
  }

  public boolean hasFamilyStartingWith(String prefix) {
    return samples.stream().anyMatch(s -> s.name().startsWith(prefix));
  }

  private static Map<String, String> pairs(String... labelPairs) {
    if (labelPairs.length % 2 != 0) {
      throw new IllegalArgumentException("label pairs come in twos");
    }
    Map<String, String> wanted = new LinkedHashMap<>();
    for (int i = 0; i < labelPairs.length; i += 2) {
      wanted.put(labelPairs[i], labelPairs[i + 1]);
    }
    return wanted;
  }
}
