package io.vigil.servlet;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServletErrorCauseTest {

  @Test
  void aPlainJakartaWrapperGivesItsCause() {
    IllegalStateException cause = new IllegalStateException("controller failed");
    assertSame(cause, ServletErrorCause.of(new jakarta.servlet.ServletException("Request processing failed", cause)));
  }

  @Test
  void aPlainJavaxWrapperGivesItsCause() {
    IllegalArgumentException cause = new IllegalArgumentException();
    assertSame(cause, ServletErrorCause.of(new javax.servlet.ServletException(cause)));
  }

  @Test
  void nestedWrappersAreAllRemoved() {
    ArithmeticException cause = new ArithmeticException();
    Throwable wrapped = new jakarta.servlet.ServletException(new jakarta.servlet.ServletException(cause));
    assertSame(cause, ServletErrorCause.of(wrapped));
  }

  @Test
  void aWrapperWithoutCauseIsTheError() {
    jakarta.servlet.ServletException bare = new jakarta.servlet.ServletException("no cause");
    assertSame(bare, ServletErrorCause.of(bare));
  }

  @Test
  void subclassesOfTheWrapperMeanSomethingAndStay() {
    jakarta.servlet.UnavailableException unavailable = new jakarta.servlet.UnavailableException("down");
    unavailable.initCause(new IllegalStateException());
    assertSame(unavailable, ServletErrorCause.of(unavailable));
  }

  @Test
  void otherExceptionsAreNotUnwrapped() {
    RuntimeException outer = new RuntimeException(new IllegalStateException());
    assertSame(outer, ServletErrorCause.of(outer));
  }

  @Test
  void aCauseCycleEnds() {
    jakarta.servlet.ServletException first = new jakarta.servlet.ServletException("first");
    jakarta.servlet.ServletException second = new jakarta.servlet.ServletException("second", first);
    first.initCause(second);
    Throwable found = ServletErrorCause.of(first);
    assertTrue(found == first || found == second);
  }
}
