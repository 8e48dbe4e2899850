package io.vigil.it.servlet;

/** {@link RedeployScenarios} on embedded Tomcat 9 (javax.servlet 4.0). */
class RedeployTomcat9IT extends RedeployScenarios {

  @Override
  String flavor() {
    return "tomcat9";
  }
}
