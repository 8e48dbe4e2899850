package io.vigil.it.servlet;

/** {@link ServletScenarios} on embedded Tomcat 9 (javax.servlet 4.0). */
class Tomcat9ServletIT extends ServletScenarios {

  @Override
  String flavor() {
    return "tomcat9";
  }

  @Override
  String mainClass() {
    return "io.vigil.it.servletapp.TomcatApp";
  }
}
