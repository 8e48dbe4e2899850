package io.vigil.benchmarks.petclinic;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface VisitRepository extends JpaRepository<Visit, Long> {

  List<Visit> findByPetIdOrderByDateDesc(Long petId);

  long countByPetOwnerId(Long ownerId);
}
