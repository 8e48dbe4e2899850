package io.vigil.it.servlet;

/** {@link ServletScenarios} on embedded Tomcat 10.1 (jakarta.servlet 6.0). */
class Tomcat10ServletIT extends ServletScenarios {

  @Override
  String flavor() {
    return "tomcat10";
  }

  @Override
  String mainClass() {
    return "io.vigil.it.servletapp.TomcatApp";
  }
}
