package io.vigil.agent.http.security;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value built from files (a certificate and its key, a CA, a password) that is built again when a
 * file changes on disk, so rotated certificates and secrets are used without a restart.
 *
 * <p>The first build must succeed: otherwise {@link #start} throws and the port stays off. A later
 * file that cannot be used (missing, half written, a key that does not fit its certificate) keeps
 * the last good value in service and is logged once, not on every connection; a fixed file is
 * picked up on the next call.
 */
final class Reloading<T> {

  /** Builds the value from the files' contents, in the order the files were given. */
  interface Builder<T> {
    T build(List<byte[]> contents) throws PortSecurityException;
  }

  /** Told about each new value after the first, for example to end TLS sessions of the old key. */
  interface Listener<T> {
    void replaced(T previous, T current);
  }

  private static final Logger log = LoggerFactory.getLogger(Reloading.class);

  private final String what;
  private final List<WatchedFile> files;
  private final Builder<T> builder;
  private final Listener<T> listener;
  private List<byte[]> built;
  /** Contents that failed to build: not tried again until a file changes once more. */
  private List<byte[]> failed;
  private volatile T current;
  private String lastProblem;

  private Reloading(String what, List<WatchedFile> files, Builder<T> builder, Listener<T> listener) {
    this.what = what;
    this.files = files;
    this.builder = builder;
    this.listener = listener;
  }

  static <T> Reloading<T> start(String what, List<WatchedFile> files, Builder<T> builder, Listener<T> listener)
      throws PortSecurityException {
    Reloading<T> reloading = new Reloading<>(what, files, builder, listener);
    List<byte[]> contents = reloading.read();
    reloading.current = builder.build(contents);
    reloading.built = contents;
    return reloading;
  }

  /** The value, built again first if a file changed since. */
  synchronized T current() {
    try {
      List<byte[]> contents = read();
      if (sameArrays(contents, built) || (failed != null && sameArrays(contents, failed))) {
        return current;
      }
      failed = contents;
      T next = builder.build(contents);
      failed = null;
      T previous = current;
      current = next;
      built = contents;
      lastProblem = null;
      log.info("The agent port uses the new {} from {}.", what, paths());
      listener.replaced(previous, next);
    } catch (PortSecurityException e) {
      if (!e.getMessage().equals(lastProblem)) {
        lastProblem = e.getMessage();
        log.warn("The agent port keeps its previous {}: {}.", what, e.getMessage());
      }
    }
    return current;
  }

  /** The value as last built, without looking at the files. */
  T latest() {
    return current;
  }

  private List<byte[]> read() throws PortSecurityException {
    List<byte[]> contents = new ArrayList<>(files.size());
    for (WatchedFile file : files) {
      contents.add(file.content());
    }
    return contents;
  }

  private String paths() {
    List<String> paths = new ArrayList<>();
    for (WatchedFile file : files) {
      paths.add(file.path().toString());
    }
    return String.join(" and ", paths);
  }

  private static boolean sameArrays(List<byte[]> a, List<byte[]> b) {
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }
}
