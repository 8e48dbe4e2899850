package io.vigil.it.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.it.harness.AgentJvm;
import io.vigil.it.harness.Chromium;
import io.vigil.it.harness.DemoApp;
import io.vigil.it.harness.FreePort;
import io.vigil.it.harness.OtlpReceiver;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code /status} in a real headless Chromium (Debian's, through its chromedriver), on the demo
 * application with the agent attached: after a known load the page shows its routes with their
 * request and error counts, follows more load without a reload, shows the pool, statements and the
 * new error group, logs nothing to the console, works on a phone-sized window, and says so when the
 * agent goes away. Screenshots go to {@code target/screenshots/} (a build artifact);
 * {@code -Dvigil.status.screenshot.docs=true} also copies the laptop one to {@code
 * docs/status-page.png}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusPageIT {

  /** The summary is kept in one-minute aggregates; a minute and the page's refresh is the most it may lag. */
  private static final Duration SHOWN = Duration.ofSeconds(150);

  private OtlpReceiver receiver;
  private AgentJvm demo;
  private int appPort;
  private ChromeDriver browser;
  private Path screenshots;

  @BeforeAll
  void start() throws IOException {
    Chromium.ensureInstalled();
    screenshots = Files.createDirectories(Paths.get("target", "screenshots"));
    receiver = new OtlpReceiver();
    appPort = FreePort.next();
    demo = DemoApp.start(appPort, receiver);
    browser = Chromium.start(1280, 1000);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (demo != null) {
      demo.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void showsTheKnownLoadFollowsMoreWithoutReloadingAndFitsAPhone() throws IOException {
    load("/owners", 30, 200);
    load("/owners/1", 12, 200);
    load("/visits", 6, 200);
    load("/fail", 5, 500);

    browser.manage().window().setSize(new Dimension(1280, 1000));
    browser.manage().logs().get(LogType.BROWSER); // drains what an earlier test left in the console
    browser.get("http://127.0.0.1:" + demo.port() + "/status");
    assertTrue(browser.getTitle().startsWith("Vigil status"), browser.getTitle());
    awaitRoute("GET", "/owners", 30, 0);
    awaitRoute("GET", "/fail", 5, 5);
    assertEquals("100 %", routeCell("GET", "/fail", 5));
    assertEquals("0 %", routeCell("GET", "/owners", 5));
    awaitRoute("GET", "/owners/*", 12, 0);

    assertEquals("UP", text("health"));
    assertTrue(text("checks").contains("hikari:petclinic"), text("checks"));
    assertTrue(text("pools").startsWith("petclinic"), text("pools"));
    assertTrue(text("pools").contains("/ 5"), text("pools"));
    assertTrue(text("statements").contains("SELECT"), text("statements"));
    String errors = text("errors");
    assertTrue(errors.contains("NEW java.lang.IllegalStateException"), errors);
    assertTrue(errors.contains("the demo's failing page failed, as it should"), errors);
    assertTrue(errors.contains("/fail"), errors);
    assertTrue(Integer.parseInt(text("t-requests").replace(",", "")) >= 53, text("t-requests"));
    assertTrue(browser.findElement(By.id("timeline")).findElements(By.cssSelector("rect.b-req")).size() >= 1);
    assertTrue(text("tl-desc").matches("\\([0-9] of 5 bars, tallest [0-9]+ requests\\)"), text("tl-desc"));
    assertFalse(browser.findElement(By.id("alert")).isDisplayed());
    assertTrue(text("updated").startsWith("Updated "), text("updated"));
    screenshot("status-laptop.png");

    // More load: the same page (never reloaded, so the marker stays) shows the new counts.
    browser.executeScript("window.vigilTestMarker = 'still the same page';");
    load("/owners", 20, 200);
    load("/fail", 3, 500);
    awaitRoute("GET", "/owners", 50, 0);
    awaitRoute("GET", "/fail", 8, 8);
    assertEquals("still the same page", browser.executeScript("return window.vigilTestMarker;"));

    List<LogEntry> console = browser.manage().logs().get(LogType.BROWSER).getAll();
    List<LogEntry> problems = console.stream().filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
    assertTrue(problems.isEmpty(), "browser console: " + problems.stream().map(LogEntry::toString).collect(Collectors.joining("\n")));

    // The whole page at a laptop's width, for the README.
    browser.manage().window().setSize(new Dimension(1280, 2400));
    screenshot("status-full.png");
    if (Boolean.getBoolean("vigil.status.screenshot.docs")) {
      Path docs = Paths.get(System.getProperty("vigil.repo.root", ".."), "docs", "status-page.png");
      Files.copy(screenshots.resolve("status-full.png"), docs, StandardCopyOption.REPLACE_EXISTING);
    }
    browser.manage().window().setSize(new Dimension(1280, 1000));

    // The window selector asks for the last hour, keeps it in the address, and the load is in it.
    new Select(browser.findElement(By.id("window"))).selectByValue("1h");
    new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().endsWith("/status?window=1h"));
    awaitRoute("GET", "/owners", 50, 0);
    assertEquals("still the same page", browser.executeScript("return window.vigilTestMarker;"));

    // A phone: the page itself never scrolls sideways; the routes table scrolls inside its region.
    browser.manage().window().setSize(new Dimension(390, 844));
    new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> width("window.innerWidth") <= 400);
    long pageWidth = width("document.documentElement.scrollWidth");
    long viewport = width("document.documentElement.clientWidth");
    assertTrue(pageWidth <= viewport, "the page is " + pageWidth + " px wide in a " + viewport + " px window");
    WebElement routesRegion = browser.findElement(By.cssSelector("[aria-labelledby='h-routes']"));
    assertTrue(width("arguments[0].scrollWidth", routesRegion) > width("arguments[0].clientWidth", routesRegion),
        "the routes table scrolls horizontally within its region");
    screenshot("status-phone.png");
  }

  @Test
  void saysSoWhenTheAgentCannotBeReachedAndKeepsTheLastFigures() throws IOException {
    // Its own agent, so the other test's never goes away under it.
    int port = FreePort.next();
    try (OtlpReceiver ownReceiver = new OtlpReceiver(); AgentJvm app = DemoApp.start(port, ownReceiver)) {
      load(port, "/owners", 4, 200);
      browser.manage().window().setSize(new Dimension(1280, 1000));
      browser.get("http://127.0.0.1:" + app.port() + "/status");
      awaitRoute("GET", "/owners", 4, 0);
      app.close();
      WebElement alert = browser.findElement(By.id("alert"));
      new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> alert.isDisplayed());
      assertTrue(alert.getText().contains("Cannot reach the agent (network error)."), alert.getText());
      assertTrue(alert.getText().contains("Showing the figures of"), alert.getText());
      assertEquals("4", routeCell("GET", "/owners", 2), "the last figures stay on the page");
      screenshot("status-unreachable.png");
    }
  }

  @Test
  void rendersARecordedSummaryAsTextBehindAPathPrefixAndReportsFailedRefreshes() throws Exception {
    // The real agent's page and headers, relayed under /vigil/ as a reverse proxy would; the summary
    // is a recorded one whose strings carry markup, which must show as text and never run.
    HttpResponse<byte[]> page = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.port() + "/status")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, page.statusCode());
    String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    String recorded;
    try (InputStream in = StatusPageIT.class.getResourceAsStream("/status/summary-recorded.json")) {
      recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    AtomicReference<String> mode = new AtomicReference<>("recorded");
    List<String> asked = new CopyOnWriteArrayList<>();
    HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    proxy.createContext("/vigil/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      byte[] body;
      int status = 200;
      if (path.equals("/vigil/status")) {
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().set("Content-Security-Policy", policy);
        body = page.body();
      } else if (path.equals("/vigil/api/summary")) {
        asked.add(exchange.getRequestURI().toString());
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        switch (mode.get()) {
          case "401" -> {
            status = 401;
            body = new byte[0];
          }
          case "garbage" -> body = "<html>proxy error</html>".getBytes(StandardCharsets.UTF_8);
          default -> body = recorded.getBytes(StandardCharsets.UTF_8);
        }
      } else {
        status = 404;
        body = new byte[0];
      }
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    proxy.start();
    try {
      browser.manage().window().setSize(new Dimension(1280, 1000));
      browser.manage().logs().get(LogType.BROWSER);
      browser.get("http://127.0.0.1:" + proxy.getAddress().getPort() + "/vigil/status");
      String hostileRoute = "/checkout<img src=x onerror=\"window.pwned=2\">";
      new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> "134".equals(routeCell("POST", hostileRoute, 2)));
      assertEquals("/vigil/api/summary?window=5m", asked.get(0), "a relative URL keeps the proxy's prefix");

      assertEquals(null, browser.executeScript("return window.pwned === undefined ? null : window.pwned;"));
      assertTrue(browser.findElements(By.tagName("img")).isEmpty(), "markup in the data never becomes elements");
      assertTrue(browser.findElements(By.cssSelector("#errors b")).isEmpty());
      assertEquals("shop<script>window.pwned=1</script> · agent 0.1.0", text("service"));
      assertEquals("DOWN", text("health"));
      assertEquals("down", browser.findElement(By.id("health")).getAttribute("class"));
      assertTrue(text("checks").contains("hikari:orders readiness DOWN 0.2 ms pool exhausted: no idle connection"), text("checks"));
      assertEquals("The agent has data for 2 minutes of the 5 minutes of this window.", text("coverage"));
      assertEquals("1,234", text("t-requests"));
      assertEquals("1.4 %", text("t-ratio"));
      assertEquals("310 ms", text("t-p95"));
      assertEquals("1.9 s", text("t-p99"));
      assertEquals("11.2 %", routeCell("POST", hostileRoute, 5));
      assertEquals("2.5 s", routeCell("POST", hostileRoute, 7));
      assertEquals("–", routeCell("POST", hostileRoute, 8));
      assertEquals("0.18 %", routeCell("GET", "/cart/{id}", 5));
      List<WebElement> statements = browser.findElements(By.cssSelector("#statements tr"));
      assertTrue(statements.get(0).getText().startsWith("UPDATE stock SET qty = qty - ? WHERE sku = ?"), "slowest first");
      assertEquals("orders 2 / 2 0 3 6", text("pools"));
      List<WebElement> errorRows = browser.findElements(By.cssSelector("#errors tr"));
      assertTrue(errorRows.get(0).getText().startsWith("NEW org.postgresql.util.PSQLException <b>deadlock</b> detected & rolled back jdbc 15 15"),
          errorRows.get(0).getText());
      assertTrue(errorRows.get(1).getText().startsWith("java.lang.IllegalStateException cart expired servlet – 40"),
          errorRows.get(1).getText());
      assertEquals("(3 groups in memory, 1 new in this window)", text("e-summary"));
      assertEquals(2, browser.findElements(By.cssSelector("#timeline g rect.b-req")).size());
      assertEquals("(2 of 5 bars, tallest 634 requests)", text("tl-desc"));
      assertEquals("12", text("x-dropped"));
      assertEquals("Last failure: Failed to export spans: connect timed out", text("x-last"));
      List<LogEntry> problems = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
          .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
      assertTrue(problems.isEmpty(), "browser console: " + problems);
      screenshot("status-recorded.png");

      WebElement alert = browser.findElement(By.id("alert"));
      mode.set("401");
      new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> alert.isDisplayed());
      assertTrue(alert.getText().contains("The agent refused the request (HTTP 401): reload the page to sign in again."),
          alert.getText());
      assertEquals("134", routeCell("POST", hostileRoute, 2), "the last figures stay");
      mode.set("garbage");
      new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> alert.getText().contains("The agent's answer was not JSON."));
      mode.set("recorded");
      new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> !alert.isDisplayed());
    } finally {
      proxy.stop(0);
    }
  }

  private void load(String path, int times, int expectedStatus) {
    load(appPort, path, times, expectedStatus);
  }

  private static void load(int port, String path, int times, int expectedStatus) {
    for (int i = 0; i < times; i++) {
      assertEquals(expectedStatus, DemoApp.get(port, path), path);
    }
  }

  /** Waits until the routes table shows {@code method route} with exactly these requests and errors. */
  private void awaitRoute(String method, String route, int requests, int errors) {
    try {
      // The page re-renders the table on every refresh: a row read as it is replaced is stale, and
      // the next poll reads the new one.
      new WebDriverWait(browser, SHOWN, Duration.ofMillis(500))
          .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
          .until(d -> String.valueOf(requests).equals(routeCell(method, route, 2))
          && String.valueOf(errors).equals(routeCell(method, route, 4)));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("the routes table never showed " + method + " " + route + " with " + requests + " requests and "
          + errors + " errors; it shows:\n" + text("routes") + "\nalert: " + text("alert"), e);
    }
  }

  /** The text of column {@code index} (0: route, 1: method, 2: requests, 4: errors, 5: error ratio) of a route's row. */
  private String routeCell(String method, String route, int index) {
    for (WebElement row : browser.findElements(By.cssSelector("#routes tr"))) {
      List<WebElement> cells = row.findElements(By.cssSelector("th, td"));
      if (cells.size() > index && cells.get(0).getText().equals(route) && cells.get(1).getText().equals(method)) {
        return cells.get(index).getText();
      }
    }
    return null;
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private long width(String expression, Object... args) {
    return ((Number) ((JavascriptExecutor) browser).executeScript("return " + expression + ";", args)).longValue();
  }

  private void screenshot(String name) throws IOException {
    Path file = browser.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(file, screenshots.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }
}
