package io.vigil.it.springapp;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Templated routes in the style of Spring PetClinic. Every handler logs one line, "handled
 * {method} {uri}", through SLF4J and Spring Boot's Logback, whose console pattern prints the
 * {@code trace_id} and {@code span_id} MDC entries that the agent sets.
 *
 * <p>Path variable names are given explicitly: this build does not compile with {@code
 * -parameters}, as spring-boot-starter-parent would.
 */
@RestController
public class OwnerController {

  /** Pets with an id above this do not exist: their lookup answers 404 from the controller. */
  static final int KNOWN_PETS = 100;

  private static final Logger LOG = LoggerFactory.getLogger(OwnerController.class);

  @GetMapping("/owners/{ownerId}")
  public Map<String, Object> owner(@PathVariable("ownerId") int ownerId, HttpServletRequest request) {
    handled(request);
    return Map.of("id", ownerId, "lastName", "Owner" + ownerId);
  }

  @GetMapping("/owners/{ownerId}/pets/{petId}")
  public Map<String, Object> pet(
      @PathVariable("ownerId") int ownerId, @PathVariable("petId") int petId, HttpServletRequest request) {
    handled(request);
    return Map.of("ownerId", ownerId, "id", petId);
  }

  @GetMapping("/owners")
  public List<Map<String, Object>> find(@RequestParam("lastName") String lastName, HttpServletRequest request) {
    handled(request);
    return List.of(Map.of("id", 1, "lastName", lastName));
  }

  /** A pet looked up by id alone: 404 from the controller, not from the container, when unknown. */
  @GetMapping("/pets/{petId}")
  public ResponseEntity<Map<String, Object>> petById(@PathVariable("petId") int petId, HttpServletRequest request) {
    handled(request);
    if (petId > KNOWN_PETS) {
      return ResponseEntity.notFound().build();
    }
    return ResponseEntity.ok(Map.of("id", petId));
  }

  /** PetClinic's crash page: the exception escapes the controller (no handler maps it). */
  @GetMapping("/owners/{ownerId}/oups")
  public String oups(@PathVariable("ownerId") int ownerId, HttpServletRequest request) {
    handled(request);
    throw new IllegalStateException("Expected: controller used to showcase what happens when an exception is thrown");
  }

  private static void handled(HttpServletRequest request) {
    LOG.info("handled {} {}", request.getMethod(), request.getRequestURI());
  }
}
