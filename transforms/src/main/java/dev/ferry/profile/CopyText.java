package dev.ferry.profile;

import dev.ferry.record.Column;
import dev.ferry.record.CopyTextRows;
import dev.ferry.record.Layout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Parses one row of PostgreSQL's {@code COPY … TO STDOUT} text format into the same Java values
 * as {@code ColumnReader} reads through JDBC: Long for integers, BigDecimal, Boolean, LocalDate,
 * LocalDateTime, OffsetDateTime in UTC, UUID, byte[] for bytea and the server's text for
 * everything else. Only the plain forms are parsed here; a value in any other form (NaN,
 * infinity, BC dates, years past 9999, time 24:00) makes {@link #parse} return false, and the
 * caller reads that row again through JDBC, so that rare values keep the reader's exact
 * semantics, rejections included.
 *
 * <p>The text format escapes backslash and the control characters {@code \b \f \n \r \t \v} with
 * a backslash and writes NULL as {@code \N}; the connection's encoding is UTF-8, its DateStyle
 * ISO and its time zone UTC (see {@code JdbcEndpoint#connect}).
 */
final class CopyText {
  enum Kind { LONG, BOOL, FLOAT, DOUBLE, DECIMAL, TEXT, BYTES, DATE, TIME, TIMESTAMP,
    TIMESTAMPTZ, UUID }

  /**
   * The PostgreSQL types whose text this parser knows, by the type name JDBC reports, with the
   * Java value {@code ColumnReader} reads each as (the driver gives these names fixed JDBC types:
   * int8 is BIGINT, bool is BIT, jsonb is OTHER and so read as its text, and so on).
   */
  private static final Map<String, Kind> KINDS = Map.ofEntries(Map.entry("int2", Kind.LONG),
      Map.entry("int4", Kind.LONG), Map.entry("int8", Kind.LONG), Map.entry("bool", Kind.BOOL),
      Map.entry("float4", Kind.FLOAT), Map.entry("float8", Kind.DOUBLE),
      Map.entry("numeric", Kind.DECIMAL), Map.entry("text", Kind.TEXT),
      Map.entry("varchar", Kind.TEXT), Map.entry("bpchar", Kind.TEXT),
      Map.entry("name", Kind.TEXT), Map.entry("json", Kind.TEXT), Map.entry("jsonb", Kind.TEXT),
      Map.entry("uuid", Kind.UUID), Map.entry("bytea", Kind.BYTES), Map.entry("date", Kind.DATE),
      Map.entry("time", Kind.TIME), Map.entry("timestamp", Kind.TIMESTAMP),
      Map.entry("timestamptz", Kind.TIMESTAMPTZ));

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long TABS = ONES * '\t';
  private static final long NEWLINES = ONES * '\n';
  private static final long BACKSLASHES = ONES * '\\';

  private final Kind[] kinds;
  private byte[] scratch = new byte[256];

  CopyText(Layout layout) {
    kinds = new Kind[layout.size()];
    for (int i = 0; i < kinds.length; i++) {
      kinds[i] = kindOf(layout.column(i));
      if (kinds[i] == null) {
        throw new IllegalArgumentException(unsupported(layout.column(i)));
      }
    }
  }

  /** Why a column's COPY text is not parsed here, or null when it is. */
  static String unsupportedReason(Layout layout) {
    for (Column c : layout.columns()) {
      if (kindOf(c) == null) {
        return unsupported(c);
      }
    }
    return null;
  }

  private static String unsupported(Column c) {
    return "column " + c.name() + " of type " + c.typeName() + " is not parsed from COPY text";
  }

  /** The kind {@code ColumnReader.forColumn} would read a PostgreSQL column as; null if unknown. */
  static Kind kindOf(Column c) {
    return c.typeName() == null ? null : KINDS.get(c.typeName().toLowerCase(Locale.ROOT));
  }

  /** Whether values of the column can be large (text and binary of no small declared size). */
  static boolean isLargeCapable(Column c) {
    Kind k = kindOf(c);
    return (k == Kind.TEXT || k == Kind.BYTES)
        && (c.size() <= 0 || c.size() > 4096 || !c.typeName().startsWith("varchar")
            && !c.typeName().equals("bpchar"));
  }

  /**
   * Fills {@code values} from the row's first {@code values.length} fields and returns the
   * offset after them (at a tab or the final newline); -1 when a value is not in a plain form
   * and the row must be read again through JDBC.
   */
  int parse(byte[] row, int length, Object[] values) {
    int p = 0;
    for (int i = 0; i < kinds.length; i++) {
      if (i > 0) {
        p++; // the tab
      }
      int end = special(row, p, length);
      boolean escaped = false;
      while (end < length && row[end] == '\\') {
        // An escaped character is never a tab or newline byte: those are escaped as letters.
        escaped = true;
        end = special(row, end + 2, length);
      }
      if (escaped && end - p == 2 && row[p + 1] == 'N') {
        values[i] = null;
      } else {
        Object v = value(kinds[i], row, p, end, escaped);
        if (v == null) {
          return -1;
        }
        values[i] = v;
      }
      p = end;
    }
    return p;
  }

  /**
   * The first tab, newline or backslash at or after {@code from}, eight bytes at a time: the
   * long values of JSON and text are most of a row's bytes. A row ends with a newline, so there
   * is always one.
   */
  private static int special(byte[] b, int from, int length) {
    int i = from;
    for (; i + 8 <= length; i += 8) {
      long w = (long) LONGS.get(b, i);
      long found = zeroByte(w ^ TABS) | zeroByte(w ^ NEWLINES) | zeroByte(w ^ BACKSLASHES);
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    while (i < length && b[i] != '\t' && b[i] != '\n' && b[i] != '\\') {
      i++;
    }
    return i;
  }

  /**
   * The high bit of each zero byte of {@code w}; bytes above the lowest zero byte may be marked
   * too (a borrow), which is harmless as only the lowest is used.
   */
  private static long zeroByte(long w) {
    return (w - ONES) & ~w & HIGHS;
  }

  /** The value of one non-NULL field, or null when it is not in a plain form. */
  private Object value(Kind kind, byte[] b, int from, int to, boolean escaped) {
    switch (kind) {
      case TEXT:
        if (!escaped) {
          return new String(b, from, to - from, StandardCharsets.UTF_8);
        }
        int n = unescape(b, from, to);
        return new String(scratch, 0, n, StandardCharsets.UTF_8);
      case LONG:
        return parseLong(b, from, to);
      case BOOL:
        return b[from] == 't';
      case DECIMAL:
        return decimal(b, from, to);
      case DOUBLE:
        return isNumber(b, from, to) ? Double.parseDouble(ascii(b, from, to)) : null;
      case FLOAT:
        return isNumber(b, from, to) ? Float.parseFloat(ascii(b, from, to)) : null;
      case BYTES:
        return hex(b, from, to);
      case DATE:
        return to - from == 10 ? date(b, from) : null;
      case TIME:
        return time(b, from, to);
      case TIMESTAMP:
        return timestamp(b, from, to);
      case TIMESTAMPTZ:
        return timestamptz(b, from, to);
      case UUID:
        return UUID.fromString(ascii(b, from, to));
      default:
        throw new IllegalStateException("kind " + kind);
    }
  }

  /** Copies a field to the scratch buffer with its escapes undone; returns its length. */
  private int unescape(byte[] b, int from, int to) {
    if (scratch.length < to - from) {
      scratch = new byte[Math.max(to - from, 2 * scratch.length)];
    }
    return CopyTextRows.unescapeInto(b, from, to, scratch);
  }

  private static String ascii(byte[] b, int from, int to) {
    return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
  }

  private static Long parseLong(byte[] b, int from, int to) {
    boolean negative = b[from] == '-';
    long v = 0;
    for (int i = negative ? from + 1 : from; i < to; i++) {
      v = v * 10 - (b[i] - '0');
    }
    return negative ? v : -v;
  }

  /** Digits, sign and point only: NaN and the infinities are left to JDBC. */
  private static boolean isNumber(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (!(c >= '0' && c <= '9' || c == '-' || c == '.' || c == 'e' || c == 'E' || c == '+')) {
        return false;
      }
    }
    return true;
  }

  /** As the driver's decimal: unscaled digits and the scale written; NaN and infinity excluded. */
  private static BigDecimal decimal(byte[] b, int from, int to) {
    boolean negative = b[from] == '-';
    long unscaled = 0;
    int digits = 0;
    int scale = 0;
    boolean point = false;
    for (int i = negative ? from + 1 : from; i < to; i++) {
      byte c = b[i];
      if (c == '.') {
        point = true;
      } else if (c >= '0' && c <= '9') {
        unscaled = unscaled * 10 + (c - '0');
        digits++;
        scale += point ? 1 : 0;
      } else {
        return null;
      }
    }
    if (digits == 0) {
      return null;
    }
    if (digits > 18) {
      return new BigDecimal(ascii(b, from, to));
    }
    return BigDecimal.valueOf(negative ? -unscaled : unscaled, scale);
  }

  private static byte[] hex(byte[] b, int from, int to) {
    // bytea's hex output, \x…, with its backslash escaped: \\x…
    int start = from + 3;
    if (to - from < 3 || b[from] != '\\' || b[from + 1] != '\\' || b[from + 2] != 'x') {
      return null;
    }
    byte[] out = new byte[(to - start) / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (nibble(b[start + 2 * i]) << 4 | nibble(b[start + 2 * i + 1]));
    }
    return out;
  }

  private static int nibble(byte c) {
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
  }

  private static int digits(byte[] b, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static LocalDate date(byte[] b, int p) {
    int y = digits(b, p, 4);
    int m = digits(b, p + 5, 2);
    int d = digits(b, p + 8, 2);
    if (y < 0 || m < 0 || d < 0 || b[p + 4] != '-' || b[p + 7] != '-') {
      return null;
    }
    return LocalDate.of(y, m, d);
  }

  /** Nanoseconds of a fraction ".ddd" starting at {@code p}; its end in {@link #fractionEnd}. */
  private int fractionEnd;

  private int fraction(byte[] b, int p, int to) {
    fractionEnd = p;
    if (p >= to || b[p] != '.') {
      return 0;
    }
    int nanos = 0;
    int n = 0;
    int i = p + 1;
    while (i < to && b[i] >= '0' && b[i] <= '9' && n < 9) {
      nanos = nanos * 10 + (b[i] - '0');
      n++;
      i++;
    }
    for (int k = n; k < 9; k++) {
      nanos *= 10;
    }
    fractionEnd = i;
    return n == 0 ? -1 : nanos;
  }

  /** HH:MM:SS[.f] at {@code p}, before 24:00; null otherwise. */
  private LocalTime clock(byte[] b, int p, int to) {
    if (to - p < 8 || b[p + 2] != ':' || b[p + 5] != ':') {
      return null;
    }
    int h = digits(b, p, 2);
    int mi = digits(b, p + 3, 2);
    int s = digits(b, p + 6, 2);
    int nanos = fraction(b, p + 8, to);
    if (h < 0 || h > 23 || mi < 0 || s < 0 || nanos < 0) {
      return null;
    }
    return LocalTime.of(h, mi, s, nanos);
  }

  private Object time(byte[] b, int from, int to) {
    LocalTime t = clock(b, from, to);
    return t != null && fractionEnd == to ? t : null;
  }

  private LocalDateTime dateTime(byte[] b, int from, int to) {
    if (to - from < 19 || b[from + 10] != ' ') {
      return null;
    }
    LocalDate d = date(b, from);
    LocalTime t = d == null ? null : clock(b, from + 11, to);
    return t == null ? null : LocalDateTime.of(d, t);
  }

  private Object timestamp(byte[] b, int from, int to) {
    LocalDateTime t = dateTime(b, from, to);
    return t != null && fractionEnd == to ? t : null;
  }

  private Object timestamptz(byte[] b, int from, int to) {
    LocalDateTime t = dateTime(b, from, to);
    if (t == null) {
      return null;
    }
    int p = fractionEnd;
    int sign = p < to && b[p] == '+' ? 1 : p < to && b[p] == '-' ? -1 : 0;
    int[] parts = new int[3];
    int count = 0;
    for (int i = p + 1; sign != 0 && count < 3 && i + 2 <= to; i += 3) {
      parts[count] = digits(b, i, 2);
      if (parts[count++] < 0 || i + 2 < to && b[i + 2] != ':') {
        return null;
      }
      if (i + 2 == to) {
        ZoneOffset offset = ZoneOffset.ofHoursMinutesSeconds(sign * parts[0], sign * parts[1],
            sign * parts[2]);
        return OffsetDateTime.of(t, offset).withOffsetSameInstant(ZoneOffset.UTC);
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "CopyText" + Arrays.toString(kinds);
  }
}
