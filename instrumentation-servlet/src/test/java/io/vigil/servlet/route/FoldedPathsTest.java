package io.vigil.servlet.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FoldedPathsTest {

  private final FoldedPaths paths = new FoldedPaths();

  @Test
  void foldsExactlyAsPathTemplatesDo() {
    List<String> corpus = Arrays.asList(null, "", "/", "/owners/42", "/owners/42/pets/7", "owners/42?x=1",
        "/orders/3f2504e0-4f89-11d3-9a0c-0305e82c3301/items", "/commits/507f1f77bcf86cd799439011",
        "/api/v1/owners/search", "/a//b/", "/%E2%82%AC/12", "/" + "x".repeat(300) + "/1");
    for (int round = 0; round < 2; round++) { // the second round answers from the table
      for (String path : corpus) {
        assertEquals(PathTemplates.fold(path), paths.fold(path == null ? null : new String(path)), path);
      }
    }
  }

  @Test
  void aPathSeenBeforeGetsTheFoldedStringMadeBefore() {
    String first = paths.fold("/owners/42");
    assertEquals("/owners/{id}", first);
    assertSame(first, paths.fold(new String("/owners/42")));
  }

  @Test
  void aFloodOfDistinctPathsStaysRight() {
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 20_000; i++) {
        String path = "/p" + (i % 97) + "/" + i;
        assertEquals(PathTemplates.fold(path), paths.fold(path));
      }
    }
  }
}
