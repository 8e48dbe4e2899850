package io.vigil.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The demo's pages, each a plain servlet. */
final class Pages {

  private Pages() {}

  static void write(HttpServletResponse response, String title, List<String> lines) throws IOException {
    response.setContentType("text/html; charset=utf-8");
    PrintWriter out = response.getWriter();
    out.println("<!doctype html><title>" + title + "</title><h1>" + title + "</h1><ul>");
    for (String line : lines) {
      out.println("<li>" + line.replace("<", "&lt;") + "</li>");
    }
    out.println("</ul><p><a href=\"/\">home</a></p>");
  }

  static final class Home extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      write(response, "Vigil demo clinic", List.of("/owners", "/owners/1", "/name/1", "/visits", "/slow", "/fail"));
    }
  }

  static final class Owners extends HttpServlet {
    private final Clinic clinic;

    Owners(Clinic clinic) {
      this.clinic = clinic;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      try {
        write(response, "Owners", clinic.owners());
      } catch (SQLException e) {
        throw new IOException(e);
      }
    }
  }

  static final class Owner extends HttpServlet {
    private final Clinic clinic;

    Owner(Clinic clinic) {
      this.clinic = clinic;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      String pathInfo = request.getPathInfo();
      int id;
      try {
        id = Integer.parseInt(pathInfo == null ? "" : pathInfo.substring(1));
      } catch (NumberFormatException e) {
        response.sendError(400, "owner id must be a number");
        return;
      }
      try {
        List<String> owner = clinic.ownerWithPets(id);
        if (owner == null) {
          response.sendError(404, "no owner " + id);
          return;
        }
        write(response, "Owner " + id, owner);
      } catch (SQLException e) {
        throw new IOException(e);
      }
    }
  }

  /**
   * The fast page: one SELECT by primary key and one log line, a few tens of microseconds of work,
   * so that what an agent adds per request shows.
   */
  static final class OwnerName extends HttpServlet {
    private static final Logger log = LoggerFactory.getLogger(OwnerName.class);
    private final Clinic clinic;

    OwnerName(Clinic clinic) {
      this.clinic = clinic;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      String pathInfo = request.getPathInfo();
      int id;
      try {
        id = Integer.parseInt(pathInfo == null ? "" : pathInfo.substring(1));
      } catch (NumberFormatException e) {
        response.sendError(400, "owner id must be a number");
        return;
      }
      String name;
      try {
        name = clinic.ownerName(id);
      } catch (SQLException e) {
        throw new IOException(e);
      }
      if (name == null) {
        response.sendError(404, "no owner " + id);
        return;
      }
      log.info("owner {} looked up", id);
      response.setContentType("text/plain; charset=utf-8");
      response.getWriter().write(name);
    }
  }

  static final class Visits extends HttpServlet {
    private final Clinic clinic;

    Visits(Clinic clinic) {
      this.clinic = clinic;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      try {
        List<String> lines = new java.util.ArrayList<>(clinic.recentVisits());
        lines.add(0, clinic.countVisits() + " visits in all");
        write(response, "Visits", lines);
      } catch (SQLException e) {
        throw new IOException(e);
      }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
      try {
        int pet = 1 + ThreadLocalRandom.current().nextInt(5);
        clinic.addVisit(pet, "check-up");
        response.setStatus(201);
        write(response, "Visit added", List.of("pet " + pet));
      } catch (SQLException e) {
        throw new IOException(e);
      }
    }
  }

  static final class Slow extends HttpServlet {
    private final Clinic clinic;

    Slow(Clinic clinic) {
      this.clinic = clinic;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      try {
        Thread.sleep(200 + ThreadLocalRandom.current().nextInt(300));
        write(response, "Slow page", clinic.owners());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        response.sendError(503);
      } catch (SQLException e) {
        throw new IOException(e);
      }
    }
  }

  static final class Fail extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      throw new IllegalStateException("the demo's failing page failed, as it should");
    }
  }
}
