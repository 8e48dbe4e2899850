package io.vigil.benchmarks.petclinic;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A small pet clinic: the shape of a typical Spring Boot application, for start-up measurements. */
@SpringBootApplication
public class PetClinicApplication {

  public static void main(String[] args) {
    SpringApplication.run(PetClinicApplication.class, args);
  }
}
