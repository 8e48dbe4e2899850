package io.vigil.agent.trace.otlp;

/** Hex dumps as the RFCs print them ("8286 8441"), to and from octets. */
final class Hex {

  private Hex() {}

  static byte[] decode(String hex) {
    String digits = hex.replaceAll("\\s", "");
    byte[] octets = new byte[digits.length() / 2];
    for (int i = 0; i < octets.length; i++) {
      octets[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
    }
    return octets;
  }

  static String encode(byte[] octets) {
    StringBuilder hex = new StringBuilder();
    for (byte octet : octets) {
      hex.append(String.format("%02x", octet & 0xff));
    }
    return hex.toString();
  }
}
