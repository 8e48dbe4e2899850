package io.vigil.api.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageTemplateTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Owner 42 not found | Owner <num> not found",
        "Owner -7 not found | Owner <num> not found",
        "Took 12.5 seconds, limit 10 | Took <num> seconds, limit <num>",
        "Order 1,234 rejected | Order <num> rejected",
        "For input string: \"abc\" | For input string: \"<str>\"",
        "Unknown user 'jane.doe' | Unknown user '<str>'",
        "Column `email` is unknown | Column `<str>` is unknown",
        "No account for jane.doe+shop@example.co.uk | No account for <email>",
        "Order 3f2b8c1e-9d4a-4e6b-8f0a-1c2d3e4f5a6b missing | Order <uuid> missing",
        "Object at 0x7ffe12ab was freed | Object at <hex> was freed",
        "Session deadbeef01 expired | Session <hex> expired",
        "Invalid UTF8 sequence in utf8 text | Invalid UTF8 sequence in utf8 text",
        "HTTP/1.1 proxy on port 8080 | HTTP/<num> proxy on port <num>",
        "can't parse row 3 | can't parse row <num>",
        "Index 5 out of bounds for length 3 | Index <num> out of bounds for length <num>",
        "Unique index or primary key violation: \"PUBLIC.PK ON PUBLIC.OWNERS(ID) VALUES ( /* 1 */ 1 )\" | Unique index or primary key violation: \"<str>\"",
        "Table 'OWNERS' not found; SQL statement: select * from owners where id=17 [42102-224] | Table '<str>' not found; SQL statement: select * from owners where id=<num> [<num>-<num>]",
        "plain words only | plain words only",
      })
  void replacesWhatVariesBetweenThrows(String message, String template) {
    assertEquals(template, MessageTemplate.of(message));
  }

  @Test
  void twoThrowsOfTheSameBugReadAlike() {
    assertEquals(
        MessageTemplate.of("User 'alice@example.com' has 3 open orders since 2024-05-01"),
        MessageTemplate.of("User 'bob@example.org' has 17 open orders since 2025-11-30"));
  }

  @Test
  void cutsLongMessagesBeforeTemplating() {
    StringBuilder sql = new StringBuilder("Syntax error in ");
    while (sql.length() < 2000) {
      sql.append("select a from b ");
    }
    String template = MessageTemplate.of(sql.toString());
    assertTrue(template.length() <= MessageTemplate.MAX_LENGTH + 1, template);
    assertTrue(template.endsWith("…"), template);
  }

  @Test
  void noMessageStaysNoMessage() {
    assertNull(MessageTemplate.of(null));
  }
}
