package io.vigil.it.rules;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the repository root: the system property {@code vigil.repo.root} when set, otherwise the
 * nearest directory at or above the working directory that holds {@code alerts/vigil-rules.yml} and
 * {@code dashboards/}. Failsafe runs in {@code integration-tests/}, so that is normally {@code ..}; an
 * IDE may run from the root itself.
 */
final class RepoRoot {

    static final String PROPERTY = "vigil.repo.root";

    private static Path cached;

    private RepoRoot() {
    }

    static synchronized Path get() {
        if (cached == null) {
            cached = locate();
        }
        return cached;
    }

    static Path resolve(String relative) {
        return get().resolve(relative);
    }

    private static Path locate() {
        String configured = System.getProperty(PROPERTY);
        // An unresolved "${vigil.repo.root}" from a build file that passes the property through counts as unset.
        if (configured != null && !configured.isBlank() && !configured.startsWith("${")) {
            Path root = Paths.get(configured).toAbsolutePath().normalize();
            if (!isRoot(root)) {
                throw new IllegalStateException(PROPERTY + "=" + configured
                        + " does not contain alerts/vigil-rules.yml and dashboards/");
            }
            return root;
        }
        Path start = Paths.get("").toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (isRoot(dir)) {
                return dir;
            }
        }
        throw new IllegalStateException("No directory at or above " + start
                + " contains alerts/vigil-rules.yml and dashboards/; set -D" + PROPERTY + "=<repository root>");
    }

    private static boolean isRoot(Path dir) {
        return Files.isRegularFile(dir.resolve("alerts/vigil-rules.yml")) && Files.isDirectory(dir.resolve("dashboards"));
    }
}
