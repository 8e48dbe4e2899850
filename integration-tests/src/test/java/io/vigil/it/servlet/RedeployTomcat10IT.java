package io.vigil.it.servlet;

/** {@link RedeployScenarios} on embedded Tomcat 10.1 (jakarta.servlet 6.0). */
class RedeployTomcat10IT extends RedeployScenarios {

  @Override
  String flavor() {
    return "tomcat10";
  }
}
