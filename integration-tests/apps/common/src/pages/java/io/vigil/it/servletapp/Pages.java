package io.vigil.it.servletapp;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servlets and filters of the servlet test applications, the same for every container (the
 * javax copy is generated from this file). The application knows nothing of Vigil.
 */
public final class Pages {

  private static final Logger log = LoggerFactory.getLogger(Pages.class);

  private Pages() {}

  /** Answers 200 with a short text: exact, path and extension mappings all use it. */
  public static final class Text extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain");
      resp.getWriter().write("ok " + req.getRequestURI());
    }
  }

  /** Answers 500 by status, without an exception. */
  public static final class Status500 extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      resp.setStatus(500);
    }
  }

  /** Throws to the container. */
  public static final class Boom extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      throw new IllegalStateException("boom");
    }
  }

  /** Sleeps {@code 300 ms}. */
  public static final class Sleep extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      pause(300);
      resp.getWriter().write("slept");
    }
  }

  /** Starts async work that completes after {@code 300 ms} on another thread. */
  public static final class Async extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      final AsyncContext async = req.startAsync();
      async.start(
          () -> {
            pause(300);
            log.info("async work done for {}", req.getRequestURI());
            try {
              async.getResponse().getWriter().write("async done");
            } catch (IOException e) {
              throw new IllegalStateException(e);
            }
            async.complete();
          });
    }
  }

  /** Logs one line through the application's SLF4J + Logback. */
  public static final class Log extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      log.info("handled {}", req.getRequestURI());
      resp.getWriter().write("logged");
    }
  }

  /** Forwards {@code /legacy/X} to {@code /items/X}. */
  public static final class LegacyForward implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      HttpServletRequest http = (HttpServletRequest) request;
      String rest = http.getRequestURI().substring(http.getContextPath().length() + "/legacy".length());
      request.getRequestDispatcher("/items" + rest).forward(request, response);
    }
  }

  /** Answers {@code /free/*} itself, without any servlet: every path is its own route. */
  public static final class FreeText implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException {
      response.setContentType("text/plain");
      response.getWriter().write("free");
    }
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
