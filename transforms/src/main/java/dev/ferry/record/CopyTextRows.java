package dev.ferry.record;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Rows in PostgreSQL's COPY text format, exactly as {@code COPY … TO STDOUT} sent them: one line
 * per row, fields separated by tabs, {@code \N} for NULL, backslash escapes inside values. A
 * chunk carries its rows this way when source and target columns are alike, so the rows go from
 * one server's COPY to the other's without being parsed into Java values and printed again.
 *
 * <p>Every line ends with a newline, and a newline inside a value is always escaped, so the
 * lines are the rows.
 */
public final class CopyTextRows implements Serializable {
  private static final long serialVersionUID = 1L;

  private final byte[] text;
  private final int rows;

  public CopyTextRows(byte[] text, int rows) {
    this.text = text;
    this.rows = rows;
  }

  /** The COPY text, every row ending with a newline. */
  public byte[] text() {
    return text;
  }

  public int rows() {
    return rows;
  }

  /** Each row's values as text (null for NULL), escapes undone, in column order. */
  public List<String[]> values(int columns) {
    List<String[]> out = new ArrayList<>(rows);
    int start = 0;
    for (int i = 0; i < text.length; i++) {
      if (text[i] == '\n') {
        out.add(fields(text, start, i, columns));
        start = i + 1;
      }
    }
    return out;
  }

  /** The first {@code n} fields of the line [from, to), escapes undone. */
  public static String[] fields(byte[] line, int from, int to, int n) {
    String[] out = new String[n];
    int field = 0;
    int start = from;
    for (int i = from; i <= to && field < n; i++) {
      if (i == to || line[i] == '\t') {
        out[field++] = unescape(line, start, i);
        start = i + 1;
      }
    }
    if (field < n) {
      throw new IllegalArgumentException("a COPY row has " + field + " fields, expected " + n);
    }
    return out;
  }

  /** One field: {@code \N} is NULL; backslash escapes as COPY's text format defines them. */
  static String unescape(byte[] b, int from, int to) {
    if (to - from == 2 && b[from] == '\\' && b[from + 1] == 'N') {
      return null;
    }
    byte[] out = new byte[to - from];
    return new String(out, 0, unescapeInto(b, from, to, out), StandardCharsets.UTF_8);
  }

  /**
   * Writes the bytes of the non-NULL field [from, to) into {@code out} (at least {@code to -
   * from} long) with its escapes undone: {@code \b \f \n \r \t \v}, octal and {@code \x}
   * hex codes, and a backslash before any other character stands for that character. Returns
   * the number of bytes written.
   */
  public static int unescapeInto(byte[] b, int from, int to, byte[] out) {
    int n = 0;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c != '\\' || i + 1 == to) {
        out[n++] = c;
        continue;
      }
      byte e = b[++i];
      switch (e) {
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'n': out[n++] = '\n'; break;
        case 'r': out[n++] = '\r'; break;
        case 't': out[n++] = '\t'; break;
        case 'v': out[n++] = 0x0b; break;
        case 'x': {
          int v = 0;
          int digits = 0;
          while (digits < 2 && i + 1 < to && Character.digit(b[i + 1], 16) >= 0) {
            v = v * 16 + Character.digit(b[++i], 16);
            digits++;
          }
          out[n++] = (byte) (digits == 0 ? 'x' : v);
          break;
        }
        default:
          if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int d = 1; d < 3 && i + 1 < to && b[i + 1] >= '0' && b[i + 1] <= '7'; d++) {
              v = v * 8 + (b[++i] - '0');
            }
            out[n++] = (byte) v;
          } else {
            out[n++] = e;
          }
      }
    }
    return n;
  }

  /**
   * Whether a key column's COPY text turns back into the key the row reader reads through JDBC
   * ({@link #key}): integers, text and UUIDs. Other types (dates, decimals…) print in forms that
   * would have to be parsed exactly as the driver parses them, so such keys are read as values.
   */
  public static boolean keyFromText(Column c) {
    return c.isInteger() || c.isText() || c.typeName().equals("uuid");
  }

  /**
   * The key of one COPY text row (with or without its newline) as the row reader would have read
   * it: per key column at {@code keyIndexes} of {@code layout} a Long, a String or a UUID
   * ({@link #keyFromText}); key fields are never NULL.
   */
  public static Object[] key(byte[] row, Layout layout, int[] keyIndexes) {
    int fields = 0;
    for (int k : keyIndexes) {
      fields = Math.max(fields, k + 1);
    }
    int end = row.length > 0 && row[row.length - 1] == '\n' ? row.length - 1 : row.length;
    String[] texts = fields(row, 0, end, fields);
    Object[] key = new Object[keyIndexes.length];
    for (int i = 0; i < key.length; i++) {
      Column c = layout.column(keyIndexes[i]);
      String text = texts[keyIndexes[i]];
      key[i] = c.isInteger() ? (Object) Long.valueOf(text)
          : c.typeName().equals("uuid") ? UUID.fromString(text) : text;
    }
    return key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CopyTextRows && rows == ((CopyTextRows) o).rows
        && Arrays.equals(text, ((CopyTextRows) o).text);
  }

  @Override
  public int hashCode() {
    return 31 * rows + Arrays.hashCode(text);
  }
}
