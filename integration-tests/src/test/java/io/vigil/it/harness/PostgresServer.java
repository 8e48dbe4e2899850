package io.vigil.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for integration tests: Debian's {@code postgresql} package, installed
 * with {@code apt-get} when its binaries are missing (as root, so that the test command passes on a
 * fresh Debian box), started once per test JVM in a temporary directory and stopped by a shutdown
 * hook.
 *
 * <p>{@code initdb} and {@code postgres} refuse to run as root, so when the tests run as root both
 * run as the {@code postgres} OS user ({@code runuser -u postgres --}) on a data directory that user
 * owns. The server listens on 127.0.0.1 on a free port, keeps its Unix socket in the temporary
 * directory (never {@code /var/run/postgresql}, so it does not clash with a system cluster), and
 * asks for a password (SCRAM) over TCP. Every wait is bounded and every failure says what failed
 * with the server's own log.
 */
public final class PostgresServer {

  private static final String USER = "vigil";
  private static final String PASSWORD = "vigil-test-password";
  private static final long INSTALL_TIMEOUT_SECONDS = 600;
  private static final long COMMAND_TIMEOUT_SECONDS = 120;

  private static PostgresServer shared;

  private final Path binDir;
  private final Path baseDir;
  private final Path dataDir;
  private final Path logFile;
  private final int port;
  private final boolean asPostgresUser;

  private PostgresServer(Path binDir, Path baseDir, int port, boolean asPostgresUser) {
    this.binDir = binDir;
    this.baseDir = baseDir;
    this.dataDir = baseDir.resolve("data");
    this.logFile = baseDir.resolve("postgres.log");
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /** The one server of this test JVM, started on first use. */
  public static synchronized PostgresServer shared() {
    if (shared == null) {
      PostgresServer server = start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "postgres-stop"));
      shared = server;
    }
    return shared;
  }

  /** A JDBC URL for {@code database} on this server, over TCP to 127.0.0.1. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public int port() {
    return port;
  }

  /** A superuser with a password, made by {@code initdb}. */
  public String user() {
    return USER;
  }

  public String password() {
    return PASSWORD;
  }

  /** Creates {@code name} unless it exists; returns {@code name}. */
  public synchronized String createDatabase(String name) {
    if (!name.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("use a plain lower-case database name, not " + name);
    }
    try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
        Statement statement = connection.createStatement()) {
      try (var rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
        if (rs.next()) {
          return name;
        }
      }
      statement.execute("CREATE DATABASE " + name);
      return name;
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name + " on " + jdbcUrl("postgres"), e);
    }
  }

  private static PostgresServer start() {
    boolean root = isRoot();
    Path bin = findBinDir();
    if (bin == null) {
      if (!root) {
        throw new IllegalStateException("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin and"
            + " the tests do not run as root, so they cannot install them: run 'apt-get install postgresql'");
      }
      install();
      bin = findBinDir();
      if (bin == null) {
        throw new IllegalStateException("apt-get installed postgresql but no /usr/lib/postgresql/*/bin/initdb exists");
      }
    }
    try {
      Path base = Files.createTempDirectory("vigil-postgres-");
      PostgresServer server = new PostgresServer(bin, base, FreePort.next(), root);
      server.initAndStart();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare a PostgreSQL data directory", e);
    }
  }

  private void initAndStart() throws IOException {
    Path passwordFile = baseDir.resolve("pwfile");
    Files.write(passwordFile, (PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
    if (asPostgresUser) {
      run(List.of("chown", "-R", "postgres:postgres", baseDir.toString()), "chown the data directory to postgres");
    }
    run(asServerUser(List.of(binDir.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", USER,
        "--pwfile=" + passwordFile, "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8",
        "--no-locale", "--no-sync")), "initdb");
    run(asServerUser(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-l", logFile.toString(),
        "-w", "-t", "60", "-o",
        "-p " + port + " -k " + baseDir + " -c listen_addresses=127.0.0.1 -c fsync=off"
            + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=100",
        "start")), "pg_ctl start");
    awaitAcceptingConnections();
  }

  private void awaitAcceptingConnections() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD)) {
        return;
      } catch (SQLException e) {
        last = e;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("PostgreSQL on port " + port + " did not accept connections within 60 s."
        + " Server log:\n" + serverLog(), last);
  }

  private void stop() {
    try {
      run(asServerUser(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "immediate",
          "-w", "-t", "30", "stop")), "pg_ctl stop");
    } catch (RuntimeException e) {
      // Shutting down: nothing to report to, and the temporary directory goes anyway.
    }
    try (Stream<Path> paths = Files.walk(baseDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // Best effort.
    }
  }

  private List<String> asServerUser(List<String> command) {
    if (!asPostgresUser) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  private String serverLog() {
    try {
      return Files.isRegularFile(logFile) ? Files.readString(logFile) : "(no server log at " + logFile + ")";
    } catch (IOException e) {
      return "(server log unreadable: " + e + ")";
    }
  }

  private void run(List<String> command, String what) {
    String output = exec(command, COMMAND_TIMEOUT_SECONDS, what);
    if (output != null) {
      throw new IllegalStateException(what + " failed: " + String.join(" ", command) + "\n" + output
          + "\nServer log:\n" + serverLog());
    }
  }

  /** Runs {@code command}; null when it exited with 0, else its output and exit status. */
  private static String exec(List<String> command, long timeoutSeconds, String what) {
    try {
      Path out = Files.createTempFile("vigil-postgres-cmd", ".log");
      try {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        builder.environment().put("LC_ALL", "C");
        builder.directory(Paths.get("/tmp").toFile());
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          return what + " did not finish within " + timeoutSeconds + " s. Output:\n" + Files.readString(out);
        }
        return process.exitValue() == 0 ? null
            : what + " exited with " + process.exitValue() + ". Output:\n" + Files.readString(out);
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      return what + " could not run: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return what + " was interrupted";
    }
  }

  private static void install() {
    String failure = exec(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", "postgresql"),
        INSTALL_TIMEOUT_SECONDS, "apt-get install postgresql");
    if (failure != null) {
      // A fresh box may have no package lists yet.
      String update = exec(List.of("apt-get", "update", "-q"), INSTALL_TIMEOUT_SECONDS, "apt-get update");
      failure = update != null ? update : exec(
          List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", "postgresql"),
          INSTALL_TIMEOUT_SECONDS, "apt-get install postgresql");
    }
    if (failure != null) {
      throw new IllegalStateException("could not install Debian's postgresql package: " + failure);
    }
  }

  private static Path findBinDir() {
    Path root = Paths.get("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return null;
    }
    Path best = null;
    int bestVersion = -1;
    try (DirectoryStream<Path> versions = Files.newDirectoryStream(root)) {
      for (Path version : versions) {
        Path bin = version.resolve("bin");
        if (Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"))) {
          int number;
          try {
            number = Integer.parseInt(version.getFileName().toString().replaceAll("\\..*", ""));
          } catch (NumberFormatException e) {
            number = 0;
          }
          if (number > bestVersion) {
            bestVersion = number;
            best = bin;
          }
        }
      }
    } catch (IOException e) {
      return null;
    }
    return best;
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
