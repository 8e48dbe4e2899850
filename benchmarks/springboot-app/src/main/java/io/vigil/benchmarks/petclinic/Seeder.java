package io.vigil.benchmarks.petclinic;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

@Component
public class Seeder implements ApplicationRunner {

  private final ClinicService clinic;

  public Seeder(ClinicService clinic) {
    this.clinic = clinic;
  }

  @Override
  public void run(ApplicationArguments args) {
    clinic.seed();
  }
}
