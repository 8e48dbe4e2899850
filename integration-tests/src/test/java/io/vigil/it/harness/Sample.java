package io.vigil.it.harness;

import java.util.Map;

/** One exposition line: name, labels, value, and the exemplar's labels when OpenMetrics carried one. */
public record Sample(String name, Map<String, String> labels, double value, Map<String, String> exemplarLabels) {

  public String label(String key) {
    return labels.get(key);
  }

  public boolean hasLabels(Map<String, String> wanted) {
    return labels.entrySet().containsAll(wanted.entrySet());
  }
}
