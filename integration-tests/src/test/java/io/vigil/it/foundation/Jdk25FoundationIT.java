package io.vigil.it.foundation;

import io.vigil.it.harness.Jdk;

class Jdk25FoundationIT extends FoundationChecks {
  @Override
  Jdk jdk() {
    return Jdk.JDK25;
  }
}
