package io.vigil.api.errors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The error groups in memory: at most {@code maxGroups}, the least recently seen evicted first.
 *
 * <p>One lock guards it. It is taken only when an error occurred or {@code /errors} is read, never
 * on a request that went well, and held for a map update; fingerprinting happens before it.
 */
public final class ErrorGroups {

  /** What the store tells about its changes; called under its lock, so be quick. */
  public interface Listener {
    void newGroup(ErrorGroup group);

    void evicted(ErrorGroup group);

    Listener NONE =
        new Listener() {
          @Override
          public void newGroup(ErrorGroup group) {}

          @Override
          public void evicted(ErrorGroup group) {}
        };
  }

  private static final Comparator<ErrorGroup> MOST_RECENT_FIRST =
      new Comparator<ErrorGroup>() {
        @Override
        public int compare(ErrorGroup a, ErrorGroup b) {
          int byTime = Long.compare(b.lastSeenMillis(), a.lastSeenMillis());
          // Two groups seen in the same millisecond: the one seen later first. Not the access
          // order, which a route learnt after the occurrence also refreshes.
          return byTime != 0 ? byTime : Long.compare(b.lastSighting(), a.lastSighting());
        }
      };

  private final int maxGroups;
  private final Listener listener;
  /** In access order: the eldest entry is the least recently seen group. */
  private final LinkedHashMap<String, ErrorGroup> groups;
  /** Counts the occurrences added, so that groups last seen in the same millisecond still have an order. */
  private long sightings;

  public ErrorGroups(int maxGroups, Listener listener) {
    if (maxGroups < 1) {
      throw new IllegalArgumentException("maxGroups must be at least 1, was " + maxGroups);
    }
    this.maxGroups = maxGroups;
    this.listener = listener;
    this.groups = new LinkedHashMap<String, ErrorGroup>(16, 0.75f, true);
  }

  /** Adds an occurrence; true when it opened a new group. */
  public synchronized boolean add(ErrorEvent event) {
    String id = event.fingerprint().id();
    ErrorGroup group = groups.get(id);
    if (group != null) {
      group.add(event, ++sightings);
      return false;
    }
    if (groups.size() >= maxGroups) {
      Iterator<ErrorGroup> eldest = groups.values().iterator();
      ErrorGroup evicted = eldest.next();
      eldest.remove();
      listener.evicted(evicted);
    }
    group = ErrorGroup.first(event, ++sightings);
    groups.put(id, group);
    listener.newGroup(group);
    return true;
  }

  /**
   * A route learnt after the occurrence (a JDBC error's request ended). It refreshes the group's
   * place in the eviction order like a sighting would: the error was just seen. It is not a new
   * occurrence, so it leaves the group's last seen time and its place in {@link #recent} alone.
   */
  public synchronized void addRoute(String fingerprint, String route) {
    ErrorGroup group = groups.get(fingerprint);
    if (group != null) {
      group.addRoute(route);
    }
  }

  /** Snapshots of the groups last seen at or after {@code sinceMillis}, most recent first. */
  public List<ErrorGroup> recent(long sinceMillis, int limit) {
    List<ErrorGroup> selected = new ArrayList<ErrorGroup>();
    synchronized (this) {
      for (ErrorGroup group : groups.values()) {
        if (group.lastSeenMillis() >= sinceMillis) {
          selected.add(group.snapshot());
        }
      }
    }
    Collections.sort(selected, MOST_RECENT_FIRST);
    return selected.size() > limit ? new ArrayList<ErrorGroup>(selected.subList(0, limit)) : selected;
  }

  public synchronized int size() {
    return groups.size();
  }

  public int maxGroups() {
    return maxGroups;
  }
}
