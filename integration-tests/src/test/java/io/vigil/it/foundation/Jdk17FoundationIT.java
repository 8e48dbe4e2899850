package io.vigil.it.foundation;

import io.vigil.it.harness.Jdk;

class Jdk17FoundationIT extends FoundationChecks {
  @Override
  Jdk jdk() {
    return Jdk.JDK17;
  }
}
