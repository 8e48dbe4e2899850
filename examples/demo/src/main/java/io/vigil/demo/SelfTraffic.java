package io.vigil.demo;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.concurrent.ThreadLocalRandom;

/** Calls the demo's own pages a few times a second from a daemon thread, on 127.0.0.1 only. */
final class SelfTraffic {

  private static final String[] PAGES = {"/", "/owners", "/owners/1", "/owners/2", "/owners/3", "/owners/42",
      "/visits", "/visits", "/slow", "/fail", "/missing/page"};

  private SelfTraffic() {}

  static void start(int port) {
    Thread thread = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          String page = PAGES[ThreadLocalRandom.current().nextInt(PAGES.length)];
          boolean post = page.equals("/visits") && ThreadLocalRandom.current().nextBoolean();
          call(port, page, post);
          Thread.sleep(150);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          // The page failed; that is part of the demo.
        }
      }
    }, "demo-self-traffic");
    thread.setDaemon(true);
    thread.start();
  }

  private static void call(int port, String page, boolean post) throws Exception {
    HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + page).openConnection();
    connection.setConnectTimeout(1000);
    connection.setReadTimeout(5000);
    if (post) {
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.getOutputStream().close();
    }
    int status = connection.getResponseCode();
    try (InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
      if (body != null) {
        body.readAllBytes();
      }
    }
  }
}
