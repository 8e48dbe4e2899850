package io.vigil.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * {@code /status}: one self-contained HTML page (its style and script inline, nothing fetched from
 * elsewhere) that reads {@code api/summary} every few seconds. The page uses a relative URL for the
 * summary, so it works behind a proxy's path prefix and with the credentials the browser already
 * gave for the page; {@code /status/} is therefore redirected to {@code /status}, where that URL
 * resolves.
 *
 * <p>The Content-Security-Policy allows the inline script and style by their SHA-256 hashes,
 * computed here from the page itself, and nothing else but requests back to the agent port: data
 * from the summary that somehow contained markup could not run even if the page inserted it as
 * such (it does not; it sets text only).
 */
public final class StatusPageHandler implements HttpHandler {

  static final String RESOURCE = "/io/vigil/agent/status/status.html";

  private final byte[] page;
  private final String policy;

  public StatusPageHandler() {
    this(read(RESOURCE));
  }

  /** A page without exactly one script and one style is not served (a 500 that says so), never served unprotected. */
  StatusPageHandler(byte[] page) {
    String computed = null;
    if (page != null) {
      try {
        computed = policy(new String(page, StandardCharsets.UTF_8));
      } catch (IllegalStateException e) {
        computed = null;
      }
    }
    this.policy = computed;
    this.page = computed == null ? null : page;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      if (Responses.rejectUnlessRead(exchange)) {
        return;
      }
      String path = exchange.getRequestURI().getPath();
      if ("/status/".equals(path)) {
        // Relative, so a path prefix added by a proxy is kept.
        exchange.getResponseHeaders().set("Location", "../status");
        Responses.send(exchange, 301, "text/plain; charset=utf-8", "Moved to ../status\n");
        return;
      }
      if (!"/status".equals(path)) {
        Responses.send(exchange, 404, "text/plain; charset=utf-8", "Not found\n");
        return;
      }
      if (page == null) {
        Responses.send(exchange, 500, "text/plain; charset=utf-8", "The status page is missing from the agent jar or malformed.\n");
        return;
      }
      exchange.getResponseHeaders().set("Content-Security-Policy", policy);
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
      Responses.send(exchange, 200, "text/html; charset=utf-8", page);
    } finally {
      exchange.close();
    }
  }

  static String policy(String html) {
    return "default-src 'none'; connect-src 'self'; img-src data:; script-src " + hash(inline(html, "script"))
        + "; style-src " + hash(inline(html, "style")) + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  }

  /** The text of the one {@code <tag>} element, as the browser hashes it. */
  static String inline(String html, String tag) {
    int open = html.indexOf("<" + tag + ">");
    int close = html.indexOf("</" + tag + ">");
    if (open < 0 || close < open || html.indexOf("<" + tag + ">", open + 1) >= 0) {
      throw new IllegalStateException("the status page must have exactly one <" + tag + "> element");
    }
    return html.substring(open + tag.length() + 2, close);
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] read(String resource) {
    try (InputStream in = StatusPageHandler.class.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      return null;
    }
  }
}
