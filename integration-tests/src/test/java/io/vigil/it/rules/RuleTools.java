package io.vigil.it.rules;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code promtool} and {@code amtool}, installing them first when they are not on the PATH.
 *
 * <p>The project's test command has to pass on a fresh Debian machine, where the tests run as root:
 * there the tools come from the {@code prometheus} and {@code prometheus-alertmanager} packages
 * (Prometheus 2.42, Alertmanager 0.25 on Debian 12). {@code apt-get update} only runs when the first
 * install attempt fails, so a machine with current package lists makes no extra request. On a
 * systemd machine the packages also enable their services; that is the package's behaviour, not
 * something the tests need.
 */
public final class RuleTools {

    static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration APT_TIMEOUT = Duration.ofMinutes(15);

    private static boolean installed;

    private RuleTools() {
    }

    /** The outcome of one command: its exit code and its interleaved stdout and stderr. */
    record Result(List<String> command, int exitCode, String output, boolean timedOut) {

        boolean ok() {
            return !timedOut && exitCode == 0;
        }

        String describe() {
            return String.join(" ", command) + (timedOut ? " timed out" : " exited with " + exitCode)
                    + "\n--- output ---\n" + output;
        }
    }

    /**
     * Makes sure promtool, amtool and the prometheus server (for the live test) can be run; fails with the
     * installer's output otherwise.
     */
    public static synchronized void ensureInstalled() {
        if (installed || (onPath("promtool") && onPath("amtool") && onPath("prometheus"))) {
            installed = true;
            return;
        }
        List<String> install = List.of("apt-get", "install", "-y", "--no-install-recommends",
                "prometheus", "prometheus-alertmanager");
        StringBuilder log = new StringBuilder();
        Result first = run(RepoRoot.get(), APT_TIMEOUT, install);
        log.append(first.describe());
        if (!first.ok()) {
            Result update = run(RepoRoot.get(), APT_TIMEOUT, List.of("apt-get", "update"));
            log.append('\n').append(update.describe());
            Result second = run(RepoRoot.get(), APT_TIMEOUT, install);
            log.append('\n').append(second.describe());
        }
        if (!onPath("promtool") || !onPath("amtool") || !onPath("prometheus")) {
            throw new AssertionError("prometheus, promtool and amtool are needed and could not be installed with apt-get "
                    + "(the tests expect a Debian machine and root). Install Prometheus and Alertmanager "
                    + "yourself or put the tools on the PATH.\n" + log);
        }
        installed = true;
    }

    static Result run(String... command) {
        return run(RepoRoot.get(), COMMAND_TIMEOUT, List.of(command));
    }

    static Result run(List<String> command) {
        return run(RepoRoot.get(), COMMAND_TIMEOUT, command);
    }

    /** Runs a command in {@code dir}, its output going to a file so that a chatty tool never blocks on a pipe. */
    static Result run(Path dir, Duration timeout, List<String> command) {
        Path out = null;
        try {
            out = Files.createTempFile("vigil-rules-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                return new Result(command, -1, "could not start: " + e, false);
            }
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            return new Result(command, finished ? process.exitValue() : -1, output, !finished);
        } catch (IOException e) {
            return new Result(command, -1, "I/O error: " + e, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(command, -1, "interrupted", false);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    /** The repository root (see {@link RepoRoot}), for tests outside this package. */
    public static Path repoRoot() {
        return RepoRoot.get();
    }

    /** The absolute path of an installed tool, for use as the first word of a command. */
    public static String tool(String name) {
        Path found = find(name);
        if (found == null) {
            throw new AssertionError(name + " is not installed; call ensureInstalled() first");
        }
        return found.toString();
    }

    public static boolean onPath(String tool) {
        return find(tool) != null;
    }

    private static Path find(String tool) {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(path == null ? List.of() : List.of(path.split(File.pathSeparator)));
        // Debian's packages install here; a minimal PATH may lack it.
        dirs.add("/usr/bin");
        for (String dir : dirs) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, tool);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate.toAbsolutePath();
                }
            }
        }
        return null;
    }
}
