package io.vigil.benchmarks.sql;

import io.vigil.jdbc.sql.SanitizedSql;
import io.vigil.jdbc.sql.SqlDialect;
import io.vigil.jdbc.sql.SqlSanitizer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SQL sanitizer's time against its input size, for the shapes that make a lexer slow when it
 * backtracks or rescans: many literals, long comments, an unterminated string and a long {@code IN}
 * list. Linear time shows as a time per {@code op} that grows in proportion to {@code size} (the
 * time per character stays flat); a quadratic lexer would quadruple it per doubling. Past {@link
 * SqlSanitizer#MAX_TEXT_LENGTH} characters of output the sanitizer stops, so shapes that produce
 * output ({@code literals}, {@code inList}) flatten beyond it, while {@code comments}, which produce
 * none, are lexed to the end.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SqlSanitizerScaling}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SqlSanitizerScalingBenchmark {

  @Param({"1024", "4096", "16384", "65536"})
  public int size;

  @Param({"literals", "comments", "unterminated", "inList"})
  public String shape;

  private String sql;

  @Setup(Level.Trial)
  public void build() {
    StringBuilder s = new StringBuilder(size + 64).append("SELECT * FROM t WHERE ");
    int i = 0;
    while (s.length() < size) {
      switch (shape) {
        case "literals":
          s.append("a").append(i % 10).append(" = 'v").append(i).append("''x' AND b = ").append(i).append(" OR ");
          break;
        case "comments":
          s.append("/* a comment with 'quotes' and -- dashes ").append(i).append(" */ -- and a line\n");
          break;
        case "unterminated":
          if (i == 0) {
            s.append("a = 'never closed ");
          }
          s.append("text ''with'' quotes and \\' escapes ").append(i).append(' ');
          break;
        default:
          if (i == 0) {
            s.append("id IN (");
          }
          s.append(i).append(", '").append(i).append("', ");
          break;
      }
      i++;
    }
    sql = s.toString();
  }

  @Benchmark
  public SanitizedSql sanitize() {
    return SqlSanitizer.sanitize(sql, SqlDialect.STANDARD);
  }
}
