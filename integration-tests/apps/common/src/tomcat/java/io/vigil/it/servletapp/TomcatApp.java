package io.vigil.it.servletapp;

import java.io.File;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * Embedded Tomcat serving {@link Pages}; {@code --port=N}. Prints "serving on N" when up. Written for
 * Tomcat 10.1 (the jakarta namespace); the Tomcat 9 app compiles a javax copy generated from it.
 */
public final class TomcatApp {

  private TomcatApp() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0].substring("--port=".length()));
    File base = Files.createTempDirectory("vigil-tomcat").toFile();
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.getAbsolutePath());
    tomcat.setPort(port);
    tomcat.getConnector();
    Context context = tomcat.addContext("", base.getAbsolutePath());

    // The container's own default servlet answers what nothing else maps (static files, 404).
    Wrapper defaults = Tomcat.addServlet(context, "default", new DefaultServlet());
    defaults.setLoadOnStartup(1);
    context.addServletMappingDecoded("/", "default");

    add(context, "hello", new Pages.Text(), "/hello");
    add(context, "trace", new Pages.Text(), "/trace");
    add(context, "items", new Pages.Text(), "/items/*");
    add(context, "actions", new Pages.Text(), "*.do");
    add(context, "status500", new Pages.Status500(), "/status500");
    add(context, "boom", new Pages.Boom(), "/boom");
    add(context, "sleep", new Pages.Sleep(), "/sleep");
    add(context, "log", new Pages.Log(), "/log");
    add(context, "late", new Pages.Text(), "/late"); // first hit after the route flood
    Wrapper async = add(context, "async", new Pages.Async(), "/async");
    async.setAsyncSupported(true);

    filter(context, "legacy", new Pages.LegacyForward(), "/legacy/*");
    filter(context, "free", new Pages.FreeText(), "/free/*");
    filter(context, "guard", new Guard(), "/private/*");
    filter(context, "guard-admin", new Guard(), "/admin/*");

    tomcat.start();
    System.out.println("serving on " + port);
    tomcat.getServer().await();
  }

  private static Wrapper add(Context context, String name, jakarta.servlet.Servlet servlet, String mapping) {
    Wrapper wrapper = Tomcat.addServlet(context, name, servlet);
    context.addServletMappingDecoded(mapping, name);
    return wrapper;
  }

  private static void filter(Context context, String name, jakarta.servlet.Filter filter, String mapping) {
    FilterDef def = new FilterDef();
    def.setFilterName(name);
    def.setFilter(filter);
    context.addFilterDef(def);
    FilterMap map = new FilterMap();
    map.setFilterName(name);
    map.addURLPattern(mapping);
    context.addFilterMap(map);
  }
}
