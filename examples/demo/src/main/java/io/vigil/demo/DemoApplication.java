package io.vigil.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.File;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * A tiny pet clinic: embedded Tomcat, H2 in memory through HikariCP, a handful of pages that run a
 * few queries each, one slow page and one failing page. It has no code of Vigil's; run it with the
 * agent attached to see what the agent sees.
 *
 * <p>{@code --port=8080} chooses the HTTP port; {@code --traffic} makes it call its own pages a few
 * times a second, so dashboards have something to show.
 */
public final class DemoApplication {

  private DemoApplication() {}

  public static void main(String[] args) throws Exception {
    int port = 8080;
    boolean traffic = false;
    for (String arg : args) {
      if (arg.startsWith("--port=")) {
        port = Integer.parseInt(arg.substring("--port=".length()));
      } else if (arg.equals("--traffic")) {
        traffic = true;
      } else {
        throw new IllegalArgumentException("unknown argument " + arg + "; use --port=N and --traffic");
      }
    }

    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl("jdbc:h2:mem:petclinic;DB_CLOSE_DELAY=-1");
    pool.setUsername("sa");
    pool.setPassword("");
    pool.setPoolName("petclinic");
    pool.setMaximumPoolSize(5);
    HikariDataSource dataSource = new HikariDataSource(pool);
    Clinic clinic = new Clinic(dataSource);
    clinic.createSchema();

    File base = Files.createTempDirectory("vigil-demo-tomcat").toFile();
    base.deleteOnExit();
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.getAbsolutePath());
    Connector connector = new Connector();
    connector.setPort(port);
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", base.getAbsolutePath());
    Tomcat.addServlet(context, "home", new Pages.Home());
    context.addServletMappingDecoded("", "home");
    Tomcat.addServlet(context, "owners", new Pages.Owners(clinic));
    context.addServletMappingDecoded("/owners", "owners");
    Tomcat.addServlet(context, "owner", new Pages.Owner(clinic));
    context.addServletMappingDecoded("/owners/*", "owner");
    Tomcat.addServlet(context, "name", new Pages.OwnerName(clinic));
    context.addServletMappingDecoded("/name/*", "name");
    Tomcat.addServlet(context, "visits", new Pages.Visits(clinic));
    context.addServletMappingDecoded("/visits", "visits");
    Tomcat.addServlet(context, "slow", new Pages.Slow(clinic));
    context.addServletMappingDecoded("/slow", "slow");
    Tomcat.addServlet(context, "fail", new Pages.Fail());
    context.addServletMappingDecoded("/fail", "fail");
    tomcat.start();

    System.out.println("Vigil demo serving http://localhost:" + port + "/ (pages: /owners, /owners/1, /name/1, /visits, /slow, /fail)");
    if (traffic) {
      SelfTraffic.start(port);
    }
    tomcat.getServer().await();
  }
}
