package io.vigil.it.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium driven through Debian's {@code chromedriver}: {@code chromium} and {@code
 * chromium-driver} are installed with {@code apt-get} when missing (as root, {@code apt-get update}
 * first, as PostgresServer does for its package). The driver is given by path, so Selenium Manager
 * never looks for or downloads a browser or driver.
 */
public final class Chromium {

  public static final Path BROWSER = Paths.get("/usr/bin/chromium");
  public static final Path DRIVER = Paths.get("/usr/bin/chromedriver");
  private static final long INSTALL_TIMEOUT_SECONDS = 900;

  private Chromium() {}

  /** A new headless browser at {@code width} x {@code height} that records its console. */
  public static ChromeDriver start(int width, int height) {
    ensureInstalled();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=" + width + "," + height, "--lang=en-US");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort()
        .withTimeout(Duration.ofSeconds(60))
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    return driver;
  }

  public static synchronized void ensureInstalled() {
    if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) {
      return;
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new IllegalStateException("chromium and chromium-driver are missing and the tests do not run as root,"
          + " so they cannot install them: run 'apt-get install chromium chromium-driver'");
    }
    StringBuilder log = new StringBuilder();
    run(log, "apt-get", "update");
    run(log, "apt-get", "install", "-y", "--no-install-recommends", "chromium", "chromium-driver");
    if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
      throw new IllegalStateException("apt-get did not install " + BROWSER + " and " + DRIVER + ":\n" + log);
    }
  }

  private static void run(StringBuilder log, String... command) {
    try {
      Path output = Files.createTempFile("vigil-apt-", ".log");
      try {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(Map.of("DEBIAN_FRONTEND", "noninteractive"));
        Process process = builder.start();
        boolean done = process.waitFor(INSTALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!done) {
          process.destroyForcibly();
        }
        log.append(String.join(" ", List.of(command))).append(done ? " exited " + process.exitValue() : " timed out")
            .append('\n').append(Files.readString(output, StandardCharsets.UTF_8)).append('\n');
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      log.append(String.join(" ", command)).append(" could not run: ").append(e).append('\n');
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
