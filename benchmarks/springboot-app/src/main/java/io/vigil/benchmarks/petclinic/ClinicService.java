package io.vigil.benchmarks.petclinic;

import java.time.LocalDate;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class ClinicService {

  private final OwnerRepository owners;
  private final PetRepository pets;
  private final VisitRepository visits;

  public ClinicService(OwnerRepository owners, PetRepository pets, VisitRepository visits) {
    this.owners = owners;
    this.pets = pets;
    this.visits = visits;
  }

  @Transactional
  public void seed() {
    String[] cities = {"Madison", "Sun Prairie", "McFarland", "Windsor"};
    for (int i = 1; i <= 10; i++) {
      Owner owner = new Owner();
      owner.setName("Owner " + i);
      owner.setCity(cities[i % cities.length]);
      owner.setTelephone("60855501" + (10 + i));
      owners.save(owner);
      Pet pet = new Pet();
      pet.setName("Pet " + i);
      pet.setBirthDate(LocalDate.of(2015 + i % 8, 1 + i % 12, 1 + i));
      pet.setOwner(owner);
      pets.save(pet);
      Visit visit = new Visit();
      visit.setDescription("check-up " + i);
      visit.setPet(pet);
      visits.save(visit);
    }
  }

  @Transactional(readOnly = true)
  public List<Owner> ownersIn(String city) {
    return owners.findByCityOrderByName(city);
  }

  @Transactional(readOnly = true)
  public List<Owner> allOwners() {
    return owners.findWithPetsByNameStartingWith("");
  }

  @Transactional(readOnly = true)
  public Owner owner(long id) {
    return owners.findById(id).orElseThrow(() -> new NotFoundException("owner " + id));
  }

  @Transactional
  public Owner addOwner(Owner owner) {
    return owners.save(owner);
  }

  @Transactional(readOnly = true)
  public List<Visit> visitsOf(long petId) {
    return visits.findByPetIdOrderByDateDesc(petId);
  }
}
