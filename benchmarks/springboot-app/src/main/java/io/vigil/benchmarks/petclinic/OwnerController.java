package io.vigil.benchmarks.petclinic;

import jakarta.validation.Valid;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The HTML pages: Thymeleaf templates over JPA queries. {@code GET /} is what the benchmark polls. */
@Controller
public class OwnerController {

  private final ClinicService clinic;

  public OwnerController(ClinicService clinic) {
    this.clinic = clinic;
  }

  @GetMapping("/")
  public String owners(@RequestParam(required = false) String city, Model model) {
    model.addAttribute("owners", city == null ? clinic.allOwners() : clinic.ownersIn(city));
    return "owners";
  }

  @GetMapping("/owners/{id}")
  public String owner(@PathVariable long id, Model model) {
    model.addAttribute("owner", clinic.owner(id));
    return "owner";
  }

  @GetMapping("/owners/new")
  public String newOwner(Model model) {
    model.addAttribute("owner", new Owner());
    return "owner-form";
  }

  @PostMapping("/owners/new")
  public String addOwner(@Valid @ModelAttribute("owner") Owner owner, BindingResult result) {
    if (result.hasErrors()) {
      return "owner-form";
    }
    return "redirect:/owners/" + clinic.addOwner(owner).getId();
  }
}
