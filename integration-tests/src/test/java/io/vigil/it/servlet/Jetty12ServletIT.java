package io.vigil.it.servlet;

/** {@link ServletScenarios} on embedded Jetty 12 ee10 (jakarta.servlet 6.0). */
class Jetty12ServletIT extends ServletScenarios {

  @Override
  String flavor() {
    return "jetty12";
  }

  @Override
  String mainClass() {
    return "io.vigil.it.servletapp.JettyApp";
  }
}
