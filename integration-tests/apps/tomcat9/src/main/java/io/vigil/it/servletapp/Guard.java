package io.vigil.it.servletapp;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
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
