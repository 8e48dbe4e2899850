package io.vigil.it.servletapp;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.net.HttpURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/**
 * Deploys a WAR into one running embedded Tomcat, sends it requests, undeploys it, and
 * does that {@code --cycles=N} times; {@code --port=N}. The web application has its own copy of
 * {@link Pages} and of SLF4J in {@code WEB-INF}, so its classes live in its own class loader, as a
 * WAR's do. Prints "redeploys done" and the metaspace in use after a collection at every tenth
 * cycle ("metaspace after N: B"), then idles so that the test can inspect the heap. The same for
 * every Tomcat (the javax copy differs in nothing).
 */
public final class RedeployApp {

  private RedeployApp() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0].substring("--port=".length()));
    int cycles = Integer.parseInt(args[1].substring("--cycles=".length()));
    Path base = Files.createTempDirectory("vigil-redeploy");
    Path war = war(webapp(base.resolve("webapp")), base.resolve("app.war"));
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    tomcat.setPort(port);
    tomcat.setAddDefaultWebXmlToWebapp(false);
    tomcat.getConnector();
    tomcat.start();
    System.out.println("serving on " + port);
    for (int i = 1; i <= cycles; i++) {
      Context context = tomcat.addWebapp("/app" + i, war.toString());
      for (int r = 0; r < 5; r++) {
        get(port, "/app" + i + "/hello");
        get(port, "/app" + i + "/log");
      }
      tomcat.getHost().removeChild(context);
      context.destroy();
      if (i % 10 == 0) {
        System.out.println("metaspace after " + i + ": " + metaspaceAfterGc());
      }
    }
    System.out.println("redeploys done");
    Thread.sleep(Long.MAX_VALUE);
  }

  /** The web application packed as a WAR, as a user deploys it. */
  private static Path war(Path webapp, Path war) throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(war));
        Stream<Path> files = Files.walk(webapp)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        zip.putNextEntry(new ZipEntry(webapp.relativize(file).toString().replace(File.separatorChar, '/')));
        Files.copy(file, zip);
        zip.closeEntry();
      }
    }
    return war;
  }

  /** WEB-INF/web.xml, WEB-INF/classes with Pages, WEB-INF/lib with SLF4J's API. */
  private static Path webapp(Path root) throws IOException, URISyntaxException {
    Path classes = Files.createDirectories(root.resolve("WEB-INF/classes/io/vigil/it/servletapp"));
    Path own = Paths.get(Pages.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve("io/vigil/it/servletapp");
    try (DirectoryStream<Path> pages = Files.newDirectoryStream(own, "Pages*.class")) {
      for (Path page : pages) {
        Files.copy(page, classes.resolve(page.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Path lib = Files.createDirectories(root.resolve("WEB-INF/lib"));
    Path slf4j = Paths.get(org.slf4j.MDC.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Files.copy(slf4j, lib.resolve(slf4j.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
    String webXml = "<web-app>"
        + servlet("hello", "Pages$Text") + servlet("log", "Pages$Log") + "</web-app>";
    Files.write(root.resolve("WEB-INF/web.xml"), webXml.getBytes(StandardCharsets.UTF_8));
    return root;
  }

  private static String servlet(String name, String simpleClass) {
    return "<servlet><servlet-name>" + name + "</servlet-name><servlet-class>io.vigil.it.servletapp." + simpleClass
        + "</servlet-class></servlet><servlet-mapping><servlet-name>" + name + "</servlet-name><url-pattern>/"
        + name + "</url-pattern></servlet-mapping>";
  }

  private static void get(int port, String path) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
    connection.setRequestProperty("Connection", "close");
    int status = connection.getResponseCode();
    try (InputStream in = connection.getInputStream()) {
      in.readAllBytes();
    }
    if (status != 200) {
      throw new IllegalStateException(path + " answered " + status);
    }
  }

  private static long metaspaceAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if ("Metaspace".equals(pool.getName())) {
        return pool.getUsage().getUsed();
      }
    }
    return -1;
  }
}
