package io.vigil.benchmarks.petclinic;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** JSON over the same data (Jackson). */
@RestController
@RequestMapping("/api")
public class VisitApiController {

  private final ClinicService clinic;

  public VisitApiController(ClinicService clinic) {
    this.clinic = clinic;
  }

  @GetMapping("/pets/{petId}/visits")
  public List<Map<String, Object>> visits(@PathVariable long petId) {
    return clinic.visitsOf(petId).stream()
        .map(v -> Map.<String, Object>of("id", v.getId(), "date", v.getDate().toString(), "description", v.getDescription()))
        .collect(Collectors.toList());
  }

  @GetMapping("/owners/{id}")
  public Map<String, Object> owner(@PathVariable long id) {
    Owner owner = clinic.owner(id);
    return Map.of("id", owner.getId(), "name", owner.getName(), "city", owner.getCity());
  }
}
