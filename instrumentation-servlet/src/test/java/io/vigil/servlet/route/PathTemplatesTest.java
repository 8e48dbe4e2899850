package io.vigil.servlet.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathTemplatesTest {

  // Every expected output is itself a fixed point of fold: each table also checks idempotence.
  private static void assertFolds(String path, String expected) {
    assertEquals(expected, PathTemplates.fold(path), () -> "fold(" + path + ")");
    assertEquals(expected, PathTemplates.fold(expected), () -> "fold is idempotent on " + expected);
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          ''                      | /
          /                       | /
          //                      | /
          ///                     | /
          /owners                 | /owners
          /owners/                | /owners
          //owners//42//          | /owners/{id}
          owners/42               | /owners/{id}
          /owners/42              | /owners/{id}
          /owners/42/pets/7       | /owners/{id}/pets/{id}
          /owners/42/edit         | /owners/{id}/edit
          /api/v1/users/42/orders | /api/v1/users/{id}/orders
          """)
  void shapeIsNormalized(String path, String expected) {
    assertFolds(path, expected);
  }

  @Test
  void nullIsTheRoot() {
    assertEquals("/", PathTemplates.fold(null));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          /owners/0                                          | /owners/{id}
          /owners/-1                                         | /owners/{id}
          /owners/00042                                      | /owners/{id}
          /owners/12345678901234567890123                    | /owners/{id}
          /prices/3.14                                       | /prices/{id}
          /reports/2024-01-15                                | /reports/{id}
          /hosts/10.0.0.1                                    | /hosts/{id}
          /calls/555-1234                                    | /calls/{id}
          /versions/1.2.3                                    | /versions/{id}
          /ids/123_456                                       | /ids/{id}
          /orders/123e4567-e89b-12d3-a456-426614174000       | /orders/{id}
          /orders/123E4567-E89B-12D3-A456-426614174000       | /orders/{id}
          /orders/abcdefab-abcd-abcd-abcd-abcdefabcdef       | /orders/{id}
          /orders/123e4567e89b12d3a456426614174000           | /orders/{id}
          /docs/507f1f77bcf86cd799439011                     | /docs/{id}
          /commits/da39a3ee5e6b4b0d3255bfef95601890afd80709  | /commits/{id}
          /blobs/5f2b8c9a                                    | /blobs/{id}
          /blobs/5F2B8C9A                                    | /blobs/{id}
          /products/ab12345                                  | /products/{id}
          /users/u123                                        | /users/{id}
          /invoices/INV-2024-0001                            | /invoices/{id}
          /orders/order_98765                                | /orders/{id}
          /links/aZ3kP9qL2x                                  | /links/{id}
          /tokens/dGhpcyBpcyBhIHRva2Vu                       | /tokens/{id}
          /tokens/Xy-9_kLmN0pQrStUvW                         | /tokens/{id}
          /known-casualties/x509                             | /known-casualties/{id}
          /known-casualties/h264                             | /known-casualties/{id}
          """)
  void idLikeSegmentsFold(String path, String expected) {
    assertFolds(path, expected);
  }

  // Each pair sits on either side of one threshold of the class documentation.
  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          /b/abcdef1              | /b/abcdef1
          /b/abcdef12             | /b/{id}
          /b/order123             | /b/order123
          /b/order1234            | /b/{id}
          /b/report2024           | /b/{id}
          /b/abc123               | /b/abc123
          /b/ab123                | /b/{id}
          /b/ab12c3               | /b/ab12c3
          /b/ab1cdefgh23          | /b/ab1cdefgh23
          /b/1ab2cdefgh3          | /b/{id}
          /b/1ab2cdeg3            | /b/1ab2cdeg3
          /b/abcdefghijklmn1      | /b/abcdefghijklmn1
          /b/abcdefghijklmno1     | /b/{id}
          /b/abcdefg-hijklmn1     | /b/abcdefg-hijklmn1
          /b/abcdef1-hijklmn1     | /b/{id}
          /b/123e4567-e89b-12d3-a456-42661417400  | /b/{id}
          /b/abcdefab-abcd-abcd-abcd-abcdefabcde  | /b/abcdefab-abcd-abcd-abcd-abcdefabcde
          /b/abcdefab-abcd-abcd-abcd-abcdefabcdeg | /b/abcdefab-abcd-abcd-abcd-abcdefabcdeg
          """)
  void thresholdsOfTheIdRules(String path, String expected) {
    assertFolds(path, expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "/api/v1",
        "/api/v10",
        "/apis/apps/v1beta1",
        "/apis/apps/v2alpha1",
        "/users",
        "/html5",
        "/oauth2/authorize",
        "/oauth2-authorization-server",
        "/hash/sha256",
        "/arch/x86_64",
        "/charset/utf-8",
        "/i18n/l10n",
        "/k8s/e2e",
        "/media/mp4",
        "/login/2fa",
        "/aws/s3/ec2",
        "/win32",
        "/codec/base64",
        "/top10",
        "/.well-known/openid-configuration",
        "/swagger-ui/index.html",
        "/v3/api-docs",
        "/~alice",
        "/h2-console",
        "/words/deadbeef",
        "/short/a1b2c3d",
        "/favicon.ico",
        "/robots.txt",
        "/a/.../b",
        "/a/..../b",
        "/-/_/~",
        "/getUserProfileSettings",
      })
  void wordsStay(String path) {
    assertFolds(path, path);
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          /owners/123.json                | /owners/{id}.json
          /photos/123.JPG                 | /photos/{id}.JPG
          /exports/2024-01-15.csv         | /exports/{id}.csv
          /images/a1b2c3d4e5.png          | /images/{id}.png
          /videos/clip.mp4                | /videos/clip.mp4
          /index.html                     | /index.html
          /static/jquery-3.6.0.min.js     | /static/jquery-3.6.0.min.js
          /docs/report.v2                 | /docs/report.v2
          /docs/v1.2                      | /docs/v1.2
          /archive/1.5                    | /archive/{id}
          /archive/1.5.7z                 | /archive/{id}.7z
          /files/data.backup              | /files/data.backup
          /files/12345.backup             | /files/{id}
          /files/123.                     | /files/{id}
          /.hidden                        | /.hidden
          /files/report%202024.pdf        | /files/{id}.pdf
          /files/{id}.json                | /files/{id}.json
          /users/alice@example.com        | /users/{id}
          /users/john.doe@example.co.uk   | /users/{id}
          """)
  void extensionIsKeptAndTheStemJudged(String path, String expected) {
    assertFolds(path, expected);
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          /search/caf%C3%A9        | /search/{id}
          /search/hello%20world    | /search/{id}
          /search/%41%42%43        | /search/{id}
          /wiki/café               | /wiki/{id}
          /wiki/日本語              | /wiki/{id}
          /emoji/😀                | /emoji/{id}
          /v1/items:batchGet       | /v1/{id}
          /tags/c++                | /tags/{id}
          /a/b,c                   | /a/{id}
          /a/b=c                   | /a/{id}
          /a/(b)                   | /a/{id}
          /a/b*c                   | /a/{id}
          /a/b c                   | /a/{id}
          /a/b\\c                  | /a/{id}
          /a/{ownerId}             | /a/{id}
          """)
  void freeTextAndPunctuationFold(String path, String expected) {
    assertFolds(path, expected);
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          /cart;jsessionid=ABC123DEF456         | /cart
          /cart/;jsessionid=ABC                 | /cart
          /;jsessionid=ABC                      | /
          /items;color=red/42                   | /items/{id}
          /owners/42;v=1                        | /owners/{id}
          /a;x=1;y=2/b;z                        | /a/b
          /owners/42?x=1                        | /owners/{id}
          /owners?id=42                         | /owners
          /owners#top                           | /owners
          /owners/42#x?y                        | /owners/{id}
          /a/b?c/d                              | /a/b
          /?q=1                                 | /
          ?q=1                                  | /
          '#frag'                               | /
          /cart;jsessionid=A?next=/owners/1     | /cart
          """)
  void pathParametersQueryAndFragmentAreDropped(String path, String expected) {
    assertFolds(path, expected);
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          /a/./b               | /a/b
          /a/../b              | /b
          /../../etc/passwd    | /etc/passwd
          /a/b/..              | /a
          /a/b/../..           | /
          /a/%2e%2e/b          | /b
          /a/%2E%2E/b          | /b
          /a/.%2e/b            | /b
          /a/%2E/b             | /a/b
          /a/..;x=1/b          | /b
          /owners/1/../2       | /owners/{id}
          /a/%2e%2e%2e/b       | /a/{id}/b
          """)
  void dotSegmentsResolveLikeTheContainer(String path, String expected) {
    assertFolds(path, expected);
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          http://example.com:8080/owners/42  | /owners/{id}
          https://example.com                | /
          HTTP://h/a?x                       | /a
          https://user@h/a                   | /a
          host/owners                        | /host/owners
          mailto:alice@example.com           | /{id}
          1http://h/a                        | /{id}/h/a
          """)
  void absoluteUrisLoseSchemeAndAuthority(String path, String expected) {
    // The last row is no URI (a scheme starts with a letter): "1http:" is a segment of data.
    assertFolds(path, expected);
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          /a/b/c/d/e/f/g/h/i/j               | /a/b/c/d/e/f/g/h/i/j
          /a/b/c/d/e/f/g/h/i/j/              | /a/b/c/d/e/f/g/h/i/j
          /a/b/c/d/e/f/g/h/i/j/k             | /a/b/c/d/e/f/g/h/i/j/{rest}
          /a/b/c/d/e/f/g/h/i/j/k/l/m         | /a/b/c/d/e/f/g/h/i/j/{rest}
          /1/2/3/4/5/6/7/8/9/10/11/12 | /{id}/{id}/{id}/{id}/{id}/{id}/{id}/{id}/{id}/{id}/{rest}
          /a/b/c/d/e/f/g/h/i/j/k/../..       | /a/b/c/d/e/f/g/h/i/j/{rest}
          /a/b/c/d/e/f/g/h/i/x/../j          | /a/b/c/d/e/f/g/h/i/j
          /a/{rest}                          | /a/{rest}
          """)
  void segmentCountIsCapped(String path, String expected) {
    assertFolds(path, expected);
  }

  @Test
  void segmentLongerThanTheCapIsAnId() {
    String longest = "a".repeat(PathTemplates.MAX_SEGMENT_LENGTH);
    assertFolds("/words/" + longest, "/words/" + longest);
    assertFolds("/words/" + longest + "a", "/words/{id}");
    assertFolds("/words/" + longest + ".html", "/words/{id}");
  }

  @Test
  void totalLengthIsCappedWithRoomForTheRest() {
    String word = "w".repeat(60);
    String four = ("/" + word).repeat(4); // 244 characters: fits under 256 - "/{rest}".length()
    assertFolds(four, four);
    assertFolds(four + "/" + word, four + "/{rest}");
    assertFolds(four + "/abcd", four + "/abcd"); // 249 characters: the longest kept as is
    assertFolds(four + "/abcde", four + "/{rest}");
  }

  @Test
  void tenThousandSegmentsKeepTen() {
    assertFolds("/x".repeat(10_000), "/x".repeat(10) + "/{rest}");
    assertFolds("/1".repeat(10_000), "/{id}".repeat(10) + "/{rest}");
  }

  @Test
  void tenThousandSegmentsThatCancelOutLeaveTheRoot() {
    assertFolds("/a/..".repeat(10_000), "/");
    assertFolds("/.".repeat(10_000) + "/owners/1", "/owners/{id}");
    assertFolds("/".repeat(100_000) + "owners", "/owners");
    assertFolds(";".repeat(100_000), "/");
  }

  @Test
  void megabyteSegmentIsOneId() {
    assertFolds("/files/" + "a".repeat(1 << 20), "/files/{id}");
    assertFolds("/" + "%2e".repeat(1 << 18), "/{id}");
  }

  @Test
  void pathologicalInputsRunInLinearTime() {
    // Generous bound: a quadratic pass over 4 MB would take minutes.
    int size = 4 << 20;
    String[] inputs = {
      "/".repeat(size),
      "/a/..".repeat(size / 5),
      "/.".repeat(size / 2),
      "a".repeat(size),
      ".".repeat(size),
      "%2e".repeat(size / 3),
      "/a1".repeat(size / 3),
      "/;".repeat(size / 2),
      "http://" + "h".repeat(size),
    };
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          for (String input : inputs) {
            assertTrue(PathTemplates.fold(input).length() <= PathTemplates.MAX_LENGTH);
          }
        });
  }

  @Test
  void randomIdsUnderOneRouteFoldToOneTemplate() {
    Random random = new Random(42);
    Set<String> routes = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      routes.add(PathTemplates.fold("/owners/" + random.nextInt(Integer.MAX_VALUE) + "/edit"));
      routes.add(PathTemplates.fold("/orders/" + new UUID(random.nextLong(), random.nextLong())));
      routes.add(PathTemplates.fold("/owners/" + (random.nextInt() & 0xffff) + ".json"));
      routes.add(PathTemplates.fold("/commits/" + Long.toHexString(random.nextLong() | 1L << 60)));
    }
    assertEquals(
        Set.of("/owners/{id}/edit", "/orders/{id}", "/owners/{id}.json", "/commits/{id}"), routes);
  }

  @Test
  void anyInputGivesAWellFormedBoundedTemplate() {
    char[] alphabet = "/////..;;??##%%2eE@-_~+:=,aZz09 é日😀\\{}".toCharArray();
    Random random = new Random(7);
    for (int i = 0; i < 50_000; i++) {
      StringBuilder path = new StringBuilder();
      int length = random.nextInt(i % 100 == 0 ? 2000 : 40);
      for (int j = 0; j < length; j++) {
        path.append(alphabet[random.nextInt(alphabet.length)]);
      }
      String input = path.toString();
      String folded = PathTemplates.fold(input);

      assertTrue(folded.startsWith("/"), () -> input + " -> " + folded);
      assertTrue(folded.length() <= PathTemplates.MAX_LENGTH, () -> input + " -> " + folded);
      assertTrue(!folded.contains("//"), () -> input + " -> " + folded);
      assertTrue(folded.equals("/") || !folded.endsWith("/"), () -> input + " -> " + folded);
      assertTrue(
          folded.chars().allMatch(PathTemplatesTest::isTemplateChar),
          () -> input + " -> " + folded);
      assertTrue(
          folded.split("/").length - 1 <= PathTemplates.MAX_SEGMENTS + 1,
          () -> input + " -> " + folded);
      assertEquals(folded, PathTemplates.fold(folded), () -> "idempotent on " + input);
    }
  }

  private static boolean isTemplateChar(int c) {
    return c >= 'a' && c <= 'z'
        || c >= 'A' && c <= 'Z'
        || c >= '0' && c <= '9'
        || "-._~/{}".indexOf(c) >= 0;
  }
}
