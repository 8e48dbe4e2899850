package io.vigil.agent.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SentryDsnTest {

  @ParameterizedTest
  @CsvSource({
    "https://abc123@o4505.ingest.sentry.io/4506, https://o4505.ingest.sentry.io/api/4506/envelope/",
    "http://key@localhost:9000/7, http://localhost:9000/api/7/envelope/",
    "https://key:secret@sentry.example.com/sentry/path/12, https://sentry.example.com/sentry/path/api/12/envelope/",
  })
  void derivesTheEnvelopeEndpoint(String dsn, String envelope) {
    assertEquals(envelope, SentryDsn.parse(dsn).envelopeUrl());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "nonsense", "ftp://key@host/1", "https://host/1", "https://key@host/", "https://key@host", "https://:s@host/1"})
  void rejectsWhatIsNotADsn(String text) {
    assertNull(SentryDsn.parse(text));
  }

  @ParameterizedTest
  @CsvSource({
    "https://pub@h/1, 'Sentry sentry_version=7, sentry_client=vigil/1.0, sentry_key=pub'",
    "https://pub:sec@h/1, 'Sentry sentry_version=7, sentry_client=vigil/1.0, sentry_key=pub, sentry_secret=sec'",
  })
  void writesTheAuthHeader(String dsn, String header) {
    assertEquals(header, SentryDsn.parse(dsn).authHeader("vigil/1.0"));
  }
}
