package io.vigil.it.servletapp;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A security filter in front of paths no servlet maps: denies {@code /private/*} with 401 and
 * {@code /admin/*} with 403 before any servlet runs, the way an authentication filter answers a
 * scanner. The same for every container (the javax copy differs only in its imports).
 */
public final class Guard implements Filter {

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException {
    HttpServletRequest http = (HttpServletRequest) request;
    String path = http.getRequestURI().substring(http.getContextPath().length());
    ((HttpServletResponse) response).sendError(path.startsWith("/private/") ? 401 : 403);
  }
}
