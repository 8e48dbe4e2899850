package io.vigil.api.errors;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An exception message with its variable parts replaced, so that two throws of the same bug read
 * alike and no personal data (an email, a name in quotes, an account number) leaves the process.
 * The raw message is never stored; only this template is.
 *
 * <p>Replacements, in this order: quoted strings ({@code '<str>'}, {@code "<str>"}), email
 * addresses ({@code <email>}), UUIDs ({@code <uuid>}), hexadecimal numbers ({@code 0x1f}, or eight
 * or more hex digits with a digit among them: {@code <hex>}), and decimal numbers, signed or with a
 * fraction, standing alone ({@code <num>}; digits inside a word such as {@code utf8} stay).
 */
public final class MessageTemplate {

  /** Longer messages are cut before templating: a driver may put a whole statement in one. */
  public static final int MAX_LENGTH = 512;

  private static final Pattern QUOTED = Pattern.compile("(?<![\\w])'[^'\\n]*'|\"[^\"\\n]*\"|`[^`\\n]*`");
  private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+");
  private static final Pattern UUID =
      Pattern.compile("\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");
  private static final Pattern HEX =
      Pattern.compile("\\b0[xX][0-9a-fA-F]+\\b|\\b(?=[0-9a-fA-F]*[0-9])(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\\b");
  private static final Pattern NUMBER = Pattern.compile("(?<![\\w.])-?\\d+(?:[.,]\\d+)*(?![\\w])");

  private MessageTemplate() {}

  /** The template of {@code message}; null stays null. */
  public static String of(String message) {
    if (message == null) {
      return null;
    }
    String text = message.length() > MAX_LENGTH ? message.substring(0, MAX_LENGTH) + "…" : message;
    text = replaceQuoted(text);
    text = EMAIL.matcher(text).replaceAll("<email>");
    text = UUID.matcher(text).replaceAll("<uuid>");
    text = HEX.matcher(text).replaceAll("<hex>");
    return NUMBER.matcher(text).replaceAll("<num>");
  }

  /** Keeps the quote characters, so the template still reads like the message. */
  private static String replaceQuoted(String text) {
    Matcher m = QUOTED.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuffer out = new StringBuffer(text.length());
    do {
      char quote = m.group().charAt(0);
      m.appendReplacement(out, Matcher.quoteReplacement(quote + "<str>" + quote));
    } while (m.find());
    m.appendTail(out);
    return out.toString();
  }
}
