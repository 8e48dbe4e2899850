package io.vigil.benchmarks.petclinic;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface OwnerRepository extends JpaRepository<Owner, Long> {

  List<Owner> findByCityOrderByName(String city);

  @Query("select distinct o from Owner o left join fetch o.pets where o.name like concat(:prefix, '%')")
  List<Owner> findWithPetsByNameStartingWith(String prefix);
}
