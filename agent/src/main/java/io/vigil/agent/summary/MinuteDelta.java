package io.vigil.agent.summary;

/** What changed between two readings: the rows of each kind that moved, and the span counters. */
final class MinuteDelta {

  final Rows[] rows;
  final long[] agent;

  MinuteDelta(Rows[] rows, long[] agent) {
    this.rows = rows;
    this.agent = agent;
  }
}
