package dev.ferry.digest;

import dev.ferry.jdbc.ColumnKinds;
import dev.ferry.jdbc.Dialect;
import dev.ferry.record.Column;
import dev.ferry.record.ValueKind;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The canonical encoding of {@link CanonicalColumn} written as SQL, so that PostgreSQL and
 * MySQL/MariaDB compute a range's checksum where the data lives and only aggregates cross the
 * network. For most kinds the SQL text is exactly the pipeline's text, so a pushed-down checksum
 * equals the pipeline's. Where the engines cannot agree, there is no SQL form and the caller
 * computes the checksum in the pipeline instead:
 *
 * <ul>
 *   <li>floats with a tolerance (floats compare exactly by their binary value,
 *       {@link ExactFloat}, on every engine);
 *   <li>JSON unless both sides are PostgreSQL (then {@code jsonb} text, tagged {@code J}:
 *       MariaDB's JSON is unnormalized text);
 *   <li>UUIDs held as text (the text need not be a valid UUID), values that change kind
 *       (number to text, text to number…), and zone-less MySQL timestamps in a zone with
 *       daylight saving (MySQL's zone tables are often not loaded).
 * </ul>
 *
 * Every SQL form is at least as strict as the pipeline's comparison, so an equal pushed-down
 * checksum never hides a difference the row-level join would report.
 */
public final class SqlCanonical {
  private SqlCanonical() {}

  /** One side's column that feeds a compared column. */
  enum Family {
    INTEGER, DECIMAL, FLOAT, BOOLEAN, TEXT, JSON, BYTES, UUID, DATE, TIME, LOCAL_TIMESTAMP,
    INSTANT, UNSUPPORTED
  }

  static Family family(Column c, Dialect dialect) {
    String type = c.typeName();
    switch (c.jdbcType()) {
      case Types.TINYINT:
      case Types.SMALLINT:
      case Types.INTEGER:
      case Types.BIGINT:
        return Family.INTEGER;
      case Types.NUMERIC:
      case Types.DECIMAL:
        return Family.DECIMAL;
      case Types.REAL:
      case Types.FLOAT:
      case Types.DOUBLE:
        return Family.FLOAT;
      case Types.BIT:
      case Types.BOOLEAN:
        boolean bool = dialect == Dialect.POSTGRESQL ? type.equals("bool") : c.size() <= 1;
        return bool ? Family.BOOLEAN : Family.UNSUPPORTED;
      case Types.BINARY:
      case Types.VARBINARY:
      case Types.LONGVARBINARY:
      case Types.BLOB:
        return Family.BYTES;
      case Types.DATE:
        return Family.DATE;
      case Types.TIME:
        return Family.TIME;
      case Types.TIMESTAMP:
        return ColumnKinds.isInstant(c, dialect) ? Family.INSTANT : Family.LOCAL_TIMESTAMP;
      case Types.TIMESTAMP_WITH_TIMEZONE:
        return Family.INSTANT;
      case Types.OTHER:
        if (dialect == Dialect.POSTGRESQL && (type.equals("json") || type.equals("jsonb"))) {
          return Family.JSON;
        }
        if (type.equals("uuid")) {
          return Family.UUID;
        }
        // PostgreSQL enums, citext and the like read as their text.
        return dialect == Dialect.POSTGRESQL ? Family.TEXT : Family.UNSUPPORTED;
      default:
        return c.isText() ? Family.TEXT : Family.UNSUPPORTED;
    }
  }

  /**
   * The canonical texts of some columns as SQL on one side: per column an expression that is
   * NULL exactly when the value is, and the tag its encoding carries; or the reason there are
   * none.
   */
  public static final class Form implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final Dialect dialect;
    private final List<String> texts;
    private final String tags;
    private final String problem;

    private Form(Dialect dialect, List<String> texts, String tags, String problem) {
      this.dialect = dialect;
      this.texts = texts;
      this.tags = tags;
      this.problem = problem;
    }

    static Form of(Dialect dialect, List<String> texts, String tags) {
      return new Form(dialect, List.copyOf(texts), tags, null);
    }

    static Form none(String problem) {
      return new Form(null, null, null, problem);
    }

    public boolean available() {
      return problem == null;
    }

    /** Why there is no SQL form, naming the column and type. */
    public String problem() {
      return problem;
    }

    /** The per-column text expressions. */
    public List<String> texts() {
      check();
      return texts;
    }

    /** True for a 64-bit row hash ({@link PostgresRowHash}) instead of column texts. */
    public boolean hashed() {
      check();
      return tags.equals(String.valueOf(HASH));
    }

    /** The whole encoding with the text expressions written in place. */
    public String sql() {
      check();
      return encodedOver(texts);
    }

    /**
     * The whole encoding, reading each column's text from {@code columns} (for instance the
     * aliases of a subquery that computed {@link #texts()} once).
     */
    public String encodedOver(List<String> columns) {
      check();
      List<String> parts = new ArrayList<>(columns.size());
      for (int i = 0; i < columns.size(); i++) {
        parts.add(encode(dialect, tags.charAt(i), columns.get(i)));
      }
      return concat(dialect, parts);
    }

    private void check() {
      if (problem != null) {
        throw new IllegalStateException("no SQL form: " + problem);
      }
    }
  }

  /** The tag of a form that is one 64-bit row hash ({@link PostgresRowHash}), not texts. */
  public static final char HASH = 'H';

  /** Tag, byte length, colon and text; '-' when the text is NULL. */
  private static String encode(Dialect dialect, char tag, String text) {
    return dialect == Dialect.POSTGRESQL
        ? "COALESCE('" + tag + "' || octet_length(" + text + ") || ':' || " + text + ", '-')"
        : "IFNULL(CONCAT('" + tag + "', OCTET_LENGTH(" + text + "), ':', " + text + "), '-')";
  }

  /** One column's text and tag, or why there is none. */
  static final class Column1 {
    final String text;
    final char tag;
    final String problem;

    Column1(String text, char tag, String problem) {
      this.text = text;
      this.tag = tag;
      this.problem = problem;
    }
  }

  /**
   * The encoding of one compared column as SQL on one side.
   *
   * @param side this side's column that holds the value
   * @param peer the other side's column for the same compared column
   */
  static Column1 column(CanonicalColumn canon, Dialect dialect, Column side, Dialect peerDialect,
      Column peer, CanonicalRules rules, int precision) {
    String ref = dialect.quote(side.name());
    Text text = text(canon, dialect, side, ref, peerDialect, peer, rules, precision);
    if (text.sql == null) {
      return new Column1(null, ' ', "column " + side.name() + " (" + side.typeName()
          + " compared as " + canon.kind().name().toLowerCase() + "): " + text.problem);
    }
    // MySQL: texts of any character set are hashed as UTF-8; numbers, dates and hex are ASCII.
    boolean anyText = canon.kind() == ValueKind.TEXT || canon.kind() == ValueKind.JSON
        || canon.kind() == ValueKind.OTHER;
    String sql = dialect == Dialect.POSTGRESQL || !anyText ? text.sql
        : "CONVERT(" + text.sql + " USING utf8mb4) COLLATE utf8mb4_bin";
    return new Column1(sql, tagOf(canon), null);
  }

  // Engine-specific texts get tags of their own: they are only ever compared with each other.
  private static char tagOf(CanonicalColumn canon) {
    return canon.kind() == ValueKind.JSON ? 'J' : canon.tag();
  }

  /** A text expression, or why there is none. */
  private record Text(String sql, String problem) {
    static Text of(String sql) {
      return new Text(sql, null);
    }

    static Text none(String problem) {
      return new Text(null, problem);
    }
  }

  private static Text text(CanonicalColumn canon, Dialect d, Column side, String ref,
      Dialect peerDialect, Column peer, CanonicalRules rules, int precision) {
    boolean pg = d == Dialect.POSTGRESQL;
    Family family = family(side, d);
    switch (canon.kind()) {
      case LONG:
      case DECIMAL:
        if (family == Family.INTEGER) {
          return Text.of(pg ? ref + "::text" : "CAST(" + ref + " AS CHAR)");
        }
        if (family == Family.DECIMAL) {
          if (pg) {
            return Text.of("trim_scale(" + ref + ")::text");
          }
          String s = "CAST(" + ref + " AS CHAR)";
          return Text.of("IF(LOCATE('.', " + s + ") > 0, TRIM(TRAILING '.' FROM TRIM(TRAILING"
              + " '0' FROM " + s + ")), " + s + ")");
        }
        return Text.none("only integer and decimal columns compare as numbers in SQL");
      case DOUBLE:
      case FLOAT:
        if (canon.tolerant()) {
          return Text.none("a float tolerance is applied in the pipeline");
        }
        if (family != Family.FLOAT) {
          return Text.none("only float columns compare as floats in SQL");
        }
        return Text.of(ExactFloat.sql(d, asDouble(canon.kind(), pg, side, ref)));
      case BOOLEAN:
        if (family != Family.BOOLEAN) {
          return Text.none("only boolean, tinyint(1) and bit(1) columns compare as booleans");
        }
        return Text.of(pg ? "CASE WHEN " + ref + " THEN 't' WHEN NOT " + ref + " THEN 'f' END"
            : "CASE WHEN " + ref + " <> 0 THEN 't' WHEN " + ref + " = 0 THEN 'f' END");
      case JSON:
        if (!pg || peerDialect != Dialect.POSTGRESQL || family != Family.JSON) {
          return Text.none("JSON is normalized alike only by PostgreSQL (jsonb) on both sides");
        }
        return Text.of(ref + "::jsonb::text");
      case BYTES:
        if (family != Family.BYTES) {
          return Text.none("only binary columns compare as bytes in SQL");
        }
        return Text.of(pg ? "encode(" + ref + ", 'hex')" : "LOWER(HEX(" + ref + "))");
      case UUID:
        if (family != Family.UUID) {
          return Text.none("text that should be a UUID is checked in the pipeline");
        }
        return Text.of(ref + "::text");
      case DATE:
        if (family != Family.DATE) {
          return Text.none("only date columns compare as dates in SQL");
        }
        // Each engine's own cast to text: PostgreSQL's ISO text (pgjdbc insists on DateStyle ISO)
        // keeps BC dates and infinity apart from every MySQL date, and MySQL's is the same
        // zero-padded YYYY-MM-DD as DATE_FORMAT, for zero dates too, without parsing a format.
        return Text.of(pg ? ref + "::text" : "CAST(" + ref + " AS CHAR)");
      case TIME:
        if (family != Family.TIME) {
          return Text.none("only time columns compare as times in SQL");
        }
        int timeLength = 8 + (precision > 0 ? precision + 1 : 0);
        return Text.of(pg ? "substr(to_char(" + ref + ", 'HH24:MI:SS.US'), 1, " + timeLength + ")"
            : "SUBSTRING(TIME_FORMAT(" + ref + ", '%H:%i:%s.%f'), 1, " + timeLength + ")");
      case TIMESTAMP:
      case TIMESTAMPTZ:
        return timestamp(canon.kind() == ValueKind.TIMESTAMPTZ, d, family, ref, rules,
            precision);
      default:
        if (family != Family.TEXT) {
          return Text.none("only character columns compare as text in SQL");
        }
        return text(canon, pg, side, ref);
    }
  }

  /**
   * A float column's value as the engine's double: a 4-byte float widened (exact), a double
   * compared as a 4-byte float rounded to one first, as the backfill's conversion rounds it.
   */
  private static String asDouble(ValueKind kind, boolean pg, Column side, String ref) {
    boolean single = side.jdbcType() == Types.REAL;
    if (kind == ValueKind.FLOAT && !single) {
      return pg ? ref + "::float4::float8" : "CAST(CAST(" + ref + " AS FLOAT) AS DOUBLE)";
    }
    if (single) {
      // Times a double one: exact, and understood by MySQL and MariaDB versions without
      // CAST(... AS DOUBLE).
      return pg ? ref + "::float8" : "(" + ref + " * 1e0)";
    }
    return ref;
  }

  private static Text text(CanonicalColumn canon, boolean pg, Column side, String ref) {
    if (!pg) {
      // MySQL drops CHAR padding when reading, in SQL and through JDBC alike.
      return Text.of(canon.trimsPadding() ? "TRIM(TRAILING ' ' FROM " + ref + ")" : ref);
    }
    if (side.typeName().equals("bpchar")) {
      if (canon.trimsPadding()) {
        return Text.of(ref + "::text");
      }
      if (side.size() <= 0 || side.size() == Integer.MAX_VALUE) {
        return Text.none("CHAR column without a known length");
      }
      // Casting bpchar to text drops the padding that JDBC returns; put it back.
      return Text.of("rpad(" + ref + "::text, " + side.size() + ")");
    }
    return Text.of(canon.trimsPadding() ? "rtrim(" + ref + "::text, ' ')" : ref + "::text");
  }

  private static Text timestamp(boolean instantKind, Dialect d, Family family, String ref,
      CanonicalRules rules, int precision) {
    boolean pg = d == Dialect.POSTGRESQL;
    int length = 19 + (precision > 0 ? precision + 1 : 0);
    String value;
    if (family == Family.INSTANT) {
      value = pg ? ref + " AT TIME ZONE 'UTC'" : ref;
    } else if (family == Family.LOCAL_TIMESTAMP) {
      if (!instantKind) {
        value = ref;
      } else if (pg) {
        String zone = rules.sourceZone().getId().replace("'", "''");
        value = "(" + ref + " AT TIME ZONE '" + zone + "') AT TIME ZONE 'UTC'";
      } else {
        ZoneOffset offset = rules.fixedSourceOffset();
        if (offset == null) {
          return Text.none("MySQL cannot convert from a zone with daylight saving without its"
              + " time zone tables");
        }
        value = offset.getTotalSeconds() == 0 ? ref
            : "CONVERT_TZ(" + ref + ", '" + offset.getId() + "', '+00:00')";
      }
    } else {
      return Text.none("only timestamp columns compare as timestamps in SQL");
    }
    return Text.of(pg ? "substr(to_char(" + value + ", 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), 1, "
        + length + ")" : "SUBSTRING(DATE_FORMAT(" + value + ", '%Y-%m-%dT%H:%i:%s.%f'), 1, "
        + length + ")");
  }

  /** The concatenation of encodings; none of them is ever NULL. */
  public static String concat(Dialect dialect, List<String> encodings) {
    if (encodings.size() == 1) {
      return encodings.get(0);
    }
    return dialect == Dialect.POSTGRESQL ? "(" + String.join(" || ", encodings) + ")"
        : "CONCAT(" + String.join(", ", encodings) + ")";
  }

  /** MD5 of a text as 32 lower-case hex digits. */
  public static String md5(Dialect dialect, String text) {
    return dialect == Dialect.POSTGRESQL ? "md5(" + text + ")" : "MD5(" + text + ")";
  }

  /**
   * SUM of one 28-bit piece (1 to 4) of a hex MD5 column: pieces 1 and 2 make lane 1, 3 and 4
   * lane 2 ({@link Hashes#lane}). 28 bits stay positive in a 32-bit integer on both engines, so
   * the sums are exact integer sums.
   */
  public static String pieceSum(Dialect dialect, String hexColumn, int piece) {
    int from = 1 + 7 * (piece - 1);
    return dialect == Dialect.POSTGRESQL
        ? "sum(('x' || substr(" + hexColumn + ", " + from + ", 7))::bit(28)::int)"
        : "SUM(CONV(SUBSTRING(" + hexColumn + ", " + from + ", 7), 16, 10))";
  }

  /**
   * Ends a subquery so the planner computes its expressions once instead of inlining them into
   * every reference (PostgreSQL flattens subqueries, MySQL merges derived tables).
   */
  public static String fence(Dialect dialect) {
    return dialect == Dialect.POSTGRESQL ? " OFFSET 0" : " LIMIT 18446744073709551615";
  }
}
