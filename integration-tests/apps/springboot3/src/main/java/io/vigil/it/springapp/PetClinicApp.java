package io.vigil.it.springapp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small Spring Boot 3 web application (Spring MVC on embedded Tomcat, Logback) for the servlet
 * ITs. Started from its class path, not a repackaged jar; the port comes from {@code
 * --server.port=N}. Logs Spring Boot's usual "Started PetClinicApp in ..." when it serves.
 */
@SpringBootApplication
public class PetClinicApp {

  public static void main(String[] args) {
    SpringApplication.run(PetClinicApp.class, args);
  }
}
