package io.vigil.agent.config;

/** A setting's text as found, with where it was found, for messages that point at the source. */
final class RawValue {
  final String text;
  final String source;

  RawValue(String text, String source) {
    this.text = text;
    this.source = source;
  }
}
