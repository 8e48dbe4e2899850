package io.vigil.api.errors;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What makes two errors the same error, and its short id.
 *
 * <p>The parts, hashed in this order: the exception's type; the type at the root of its cause
 * chain; the first {@value #FRAMES} application frames (see {@link ApplicationFrames}) of the
 * innermost exception of the chain that has any, each as {@code class.method} without a line
 * number; for SQL errors the SQLState. The id is the first 16 hex digits (64 bits) of the SHA-256
 * of those parts, one per line, after the version tag {@code v1}.
 *
 * <p>So a message never splits a group (it is not part of it), a redeploy that only moves lines
 * keeps the group, and the same type thrown from two places makes two groups. Taking the innermost
 * exception with application frames keeps two bugs apart when the application wraps both in one
 * exception at one shared catch site. When no frame is the application's (an error inside a
 * library called from generated code), the first frames that are not generated stand in for them.
 */
public final class Fingerprint {

  static final int FRAMES = 3;

  private final String id;
  private final String type;
  private final String rootType;
  private final List<String> frames;
  private final String sqlState;

  private Fingerprint(String id, String type, String rootType, List<String> frames, String sqlState) {
    this.id = id;
    this.type = type;
    this.rootType = rootType;
    this.frames = frames;
    this.sqlState = sqlState;
  }

  public static Fingerprint of(Throwable error) {
    return of(ExceptionChain.of(error));
  }

  static Fingerprint of(List<Throwable> chain) {
    String type = chain.get(0).getClass().getName();
    String rootType = chain.get(chain.size() - 1).getClass().getName();
    List<String> frames = frames(chain);
    SQLException sql = ExceptionChain.firstSql(chain);
    String sqlState = sql == null ? null : sql.getSQLState();
    StringBuilder parts = new StringBuilder(256).append("v1\n").append(type).append('\n').append(rootType);
    for (String frame : frames) {
      parts.append('\n').append(frame);
    }
    parts.append('\n').append(sqlState == null ? "" : sqlState);
    return new Fingerprint(hash(parts.toString()), type, rootType, frames, sqlState);
  }

  private static List<String> frames(List<Throwable> chain) {
    for (int i = chain.size() - 1; i >= 0; i--) {
      List<String> frames = new ArrayList<String>(FRAMES);
      for (StackTraceElement frame : chain.get(i).getStackTrace()) {
        if (ApplicationFrames.isApplication(frame)) {
          frames.add(ApplicationFrames.normalized(frame));
          if (frames.size() == FRAMES) {
            break;
          }
        }
      }
      if (!frames.isEmpty()) {
        return Collections.unmodifiableList(frames);
      }
    }
    List<String> frames = new ArrayList<String>(FRAMES);
    for (StackTraceElement frame : chain.get(chain.size() - 1).getStackTrace()) {
      if (!ApplicationFrames.isGenerated(frame.getClassName())) {
        frames.add(ApplicationFrames.normalized(frame));
        if (frames.size() == FRAMES) {
          break;
        }
      }
    }
    return Collections.unmodifiableList(frames);
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(16);
      for (int i = 0; i < 8; i++) {
        hex.append(Character.forDigit((digest[i] >> 4) & 0xf, 16)).append(Character.forDigit(digest[i] & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime has SHA-256", e);
    }
  }

  /** 16 lower-case hex digits. */
  public String id() {
    return id;
  }

  public String type() {
    return type;
  }

  public String rootType() {
    return rootType;
  }

  /** The frames that went into the id, {@code class.method}. */
  public List<String> frames() {
    return frames;
  }

  /** Null unless an SQLException with a state is in the chain. */
  public String sqlState() {
    return sqlState;
  }

  @Override
  public String toString() {
    return id + " " + type + " " + frames;
  }
}
