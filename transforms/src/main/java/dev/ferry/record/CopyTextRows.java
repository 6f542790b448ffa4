package dev.ferry.record;

import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
    int backslash = -1;
    for (int i = from; i < to; i++) {
      if (b[i] == '\\') {
        backslash = i;
        break;
      }
    }
    if (backslash < 0) {
      return new String(b, from, to - from, StandardCharsets.UTF_8);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
    out.write(b, from, backslash - from);
    for (int i = backslash; i < to; i++) {
      byte c = b[i];
      if (c != '\\' || i + 1 == to) {
        out.write(c);
        continue;
      }
      byte e = b[++i];
      switch (e) {
        case 'b': out.write('\b'); break;
        case 'f': out.write('\f'); break;
        case 'n': out.write('\n'); break;
        case 'r': out.write('\r'); break;
        case 't': out.write('\t'); break;
        case 'v': out.write(0x0b); break;
        case 'x': {
          int v = 0;
          int digits = 0;
          while (digits < 2 && i + 1 < to && Character.digit(b[i + 1], 16) >= 0) {
            v = v * 16 + Character.digit(b[++i], 16);
            digits++;
          }
          out.write(digits == 0 ? 'x' : v);
          break;
        }
        default:
          if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int d = 1; d < 3 && i + 1 < to && b[i + 1] >= '0' && b[i + 1] <= '7'; d++) {
              v = v * 8 + (b[++i] - '0');
            }
            out.write(v);
          } else {
            out.write(e);
          }
      }
    }
    return out.toString(StandardCharsets.UTF_8);
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
