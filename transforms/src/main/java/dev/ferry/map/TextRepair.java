package dev.ferry.map;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Repairs text damaged by Latin-1/UTF-8 confusion ("mojibake"): UTF-8 bytes that were decoded
 * as Latin-1 or Windows-1252 and stored again, so "Café" reads "CafÃ©". The repair re-encodes the
 * text to those single bytes and decodes them as UTF-8, and keeps the result only when that
 * decoding is valid. Text that was never damaged ("é" alone, plain ASCII, CJK) is returned
 * unchanged, because its single bytes do not form valid UTF-8. Double damage is undone too.
 *
 * <p>The single bytes are those of MySQL's latin1, which is Windows-1252 with the five bytes
 * that Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) read as the C1 controls
 * U+0081 … U+009D, as MySQL's {@code CONVERT(v USING utf8mb4)} reads them: characters up to
 * U+00FF are their own byte, the others Windows-1252's. So UTF-8 stored in a latin1 column
 * ('Ł' is C5 81) comes back whole. Text that is no valid UTF-8 once reversed is genuine latin1
 * and is kept as it is; nothing is dead-lettered for it.
 */
public final class TextRepair {
  private static final Charset CP1252 = Charset.forName("windows-1252");
  private static final int MAX_ROUNDS = 2;

  private TextRepair() {}

  public static String repairMojibake(String text) {
    if (text == null) {
      return null;
    }
    String current = text;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      String repaired = repairOnce(current);
      if (repaired.equals(current)) {
        break;
      }
      current = repaired;
    }
    return current;
  }

  /** True when the text looks damaged, i.e. repairing it would change it. */
  public static boolean looksDamaged(String text) {
    return text != null && !repairOnce(text).equals(text);
  }

  private static String repairOnce(String text) {
    boolean candidate = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0xC2 && c <= 0xF4) {
        candidate = true;
        break;
      }
    }
    if (!candidate) {
      return text;
    }
    byte[] bytes = new byte[text.length()];
    CharsetEncoder cp1252 = CP1252.newEncoder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= 0xFF) {
        bytes[i] = (byte) c;
      } else {
        try {
          ByteBuffer b = cp1252.encode(CharBuffer.wrap(new char[] {c}));
          if (b.remaining() != 1) {
            return text;
          }
          bytes[i] = b.get();
        } catch (CharacterCodingException e) {
          return text;
        }
      }
    }
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return utf8.decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return text;
    }
  }
}
