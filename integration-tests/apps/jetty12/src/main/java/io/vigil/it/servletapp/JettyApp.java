package io.vigil.it.servletapp;

import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;

/**
 * Embedded Jetty 12 (ee10) serving {@link Pages}; {@code --port=N}. Prints "serving on N" when up.
 * Unmapped paths go to Jetty's own default 404 servlet.
 */
public final class JettyApp {

  private JettyApp() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0].substring("--port=".length()));
    Server server = new Server(port);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");

    add(context, new Pages.Text(), "/hello").setInitOrder(1);
    add(context, new Pages.Text(), "/trace");
    add(context, new Pages.Text(), "/items/*");
    add(context, new Pages.Text(), "*.do");
    add(context, new Pages.Status500(), "/status500");
    add(context, new Pages.Boom(), "/boom");
    add(context, new Pages.Sleep(), "/sleep");
    add(context, new Pages.Log(), "/log");
    add(context, new Pages.Text(), "/late"); // first hit after the route flood
    add(context, new Pages.Async(), "/async").setAsyncSupported(true);

    context.addFilter(new FilterHolder(new Pages.LegacyForward()), "/legacy/*", EnumSet.of(DispatcherType.REQUEST));
    context.addFilter(new FilterHolder(new Pages.FreeText()), "/free/*", EnumSet.of(DispatcherType.REQUEST));
    context.addFilter(new FilterHolder(new Guard()), "/private/*", EnumSet.of(DispatcherType.REQUEST));
    context.addFilter(new FilterHolder(new Guard()), "/admin/*", EnumSet.of(DispatcherType.REQUEST));

    server.setHandler(context);
    server.start();
    System.out.println("serving on " + port);
    server.join();
  }

  private static ServletHolder add(ServletContextHandler context, jakarta.servlet.Servlet servlet, String mapping) {
    ServletHolder holder = new ServletHolder(servlet);
    context.addServlet(holder, mapping);
    return holder;
  }
}
