package dev.ferry.digest;

import dev.ferry.jdbc.Dialect;
import dev.ferry.record.Column;
import dev.ferry.record.ValueKind;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The canonical encoding of {@link CanonicalColumn} written as SQL, so that PostgreSQL and
 * MySQL/MariaDB compute a range's checksum where the data lives and only aggregates cross the
 * network. For most kinds the SQL text is exactly the pipeline's text, so a pushed-down checksum
 * equals the pipeline's. Where the engines cannot agree, there is no SQL form and the caller
 * computes the checksum in the pipeline instead:
 *
 * <ul>
 *   <li>floats across engines or with a tolerance (each engine prints floats its own way; same
 *       engine on both sides compares the engine's exact text, tagged {@code F});
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
        boolean instant = dialect == Dialect.MYSQL ? type.equals("timestamp")
            : type.equals("timestamptz");
        return instant ? Family.INSTANT : Family.LOCAL_TIMESTAMP;
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
        return ColumnKinds.isText(c) ? Family.TEXT : Family.UNSUPPORTED;
    }
  }

  /** An SQL expression, or the reason there is none. */
  public static final class Form {
    private final String sql;
    private final String problem;

    private Form(String sql, String problem) {
      this.sql = sql;
      this.problem = problem;
    }

    static Form of(String sql) {
      return new Form(sql, null);
    }

    static Form none(String problem) {
      return new Form(null, problem);
    }

    public boolean available() {
      return sql != null;
    }

    /** The expression; only when {@link #available()}. */
    public String sql() {
      if (sql == null) {
        throw new IllegalStateException("no SQL form: " + problem);
      }
      return sql;
    }

    /** Why there is no SQL form, naming the column and type. */
    public String problem() {
      return problem;
    }
  }

  /**
   * The encoding of one compared column as SQL on one side.
   *
   * @param side this side's column that holds the value
   * @param peer the other side's column for the same compared column
   */
  static Form encoding(CanonicalColumn canon, Dialect dialect, Column side, Dialect peerDialect,
      Column peer, CanonicalRules rules, int precision) {
    String ref = dialect.quote(side.name());
    Form text = text(canon, dialect, side, ref, peerDialect, peer, rules, precision);
    if (text.sql == null) {
      return Form.none("column " + side.name() + " (" + side.typeName() + " compared as "
          + canon.kind().name().toLowerCase() + "): " + text.problem);
    }
    char tag = tagOf(canon, text);
    if (dialect == Dialect.POSTGRESQL) {
      return Form.of("CASE WHEN " + ref + " IS NULL THEN '-' ELSE '" + tag + "' || length("
          + text.sql + ") || ':' || " + text.sql + " END");
    }
    String t = "CONVERT(" + text.sql + " USING utf8mb4) COLLATE utf8mb4_bin";
    return Form.of("IF(" + ref + " IS NULL, '-', CONCAT('" + tag + "', CHAR_LENGTH(" + t
        + "), ':', " + t + "))");
  }

  // Engine-specific texts get tags of their own: they are only ever compared with each other.
  private static char tagOf(CanonicalColumn canon, Form text) {
    if (CanonicalColumn.isFloat(canon.kind())) {
      return 'F';
    }
    return canon.kind() == ValueKind.JSON ? 'J' : canon.tag();
  }

  private static Form text(CanonicalColumn canon, Dialect d, Column side, String ref,
      Dialect peerDialect, Column peer, CanonicalRules rules, int precision) {
    boolean pg = d == Dialect.POSTGRESQL;
    Family family = family(side, d);
    switch (canon.kind()) {
      case LONG:
      case DECIMAL:
        if (family == Family.INTEGER) {
          return Form.of(pg ? ref + "::text" : "CAST(" + ref + " AS CHAR)");
        }
        if (family == Family.DECIMAL) {
          if (pg) {
            return Form.of("trim_scale(" + ref + ")::text");
          }
          String s = "CAST(" + ref + " AS CHAR)";
          return Form.of("IF(LOCATE('.', " + s + ") > 0, TRIM(TRAILING '.' FROM TRIM(TRAILING"
              + " '0' FROM " + s + ")), " + s + ")");
        }
        return Form.none("only integer and decimal columns compare as numbers in SQL");
      case DOUBLE:
      case FLOAT:
        if (canon.tolerant()) {
          return Form.none("a float tolerance is applied in the pipeline");
        }
        if (!pg || peerDialect != Dialect.POSTGRESQL || family != Family.FLOAT
            || family(peer, peerDialect) != Family.FLOAT || !side.typeName().equals(
            peer.typeName())) {
          return Form.none("floats are printed alike only by PostgreSQL on both sides with the"
              + " same type");
        }
        return Form.of(ref + "::text");
      case BOOLEAN:
        if (family != Family.BOOLEAN) {
          return Form.none("only boolean, tinyint(1) and bit(1) columns compare as booleans");
        }
        return Form.of(pg ? "CASE WHEN " + ref + " THEN 't' ELSE 'f' END"
            : "CASE WHEN " + ref + " <> 0 THEN 't' ELSE 'f' END");
      case JSON:
        if (!pg || peerDialect != Dialect.POSTGRESQL || family != Family.JSON) {
          return Form.none("JSON is normalized alike only by PostgreSQL (jsonb) on both sides");
        }
        return Form.of(ref + "::jsonb::text");
      case BYTES:
        if (family != Family.BYTES) {
          return Form.none("only binary columns compare as bytes in SQL");
        }
        return Form.of(pg ? "encode(" + ref + ", 'hex')" : "LOWER(HEX(" + ref + "))");
      case UUID:
        if (family != Family.UUID) {
          return Form.none("text that should be a UUID is checked in the pipeline");
        }
        return Form.of(ref + "::text");
      case DATE:
        if (family != Family.DATE) {
          return Form.none("only date columns compare as dates in SQL");
        }
        return Form.of(pg ? "to_char(" + ref + ", 'YYYY-MM-DD')"
            : "DATE_FORMAT(" + ref + ", '%Y-%m-%d')");
      case TIME:
        if (family != Family.TIME) {
          return Form.none("only time columns compare as times in SQL");
        }
        int timeLength = 8 + (precision > 0 ? precision + 1 : 0);
        return Form.of(pg ? "substr(to_char(" + ref + ", 'HH24:MI:SS.US'), 1, " + timeLength + ")"
            : "SUBSTRING(TIME_FORMAT(" + ref + ", '%H:%i:%s.%f'), 1, " + timeLength + ")");
      case TIMESTAMP:
      case TIMESTAMPTZ:
        return timestamp(canon.kind() == ValueKind.TIMESTAMPTZ, d, family, ref, rules,
            precision);
      default:
        if (family != Family.TEXT) {
          return Form.none("only character columns compare as text in SQL");
        }
        return text(canon, pg, side, ref);
    }
  }

  private static Form text(CanonicalColumn canon, boolean pg, Column side, String ref) {
    if (!pg) {
      // MySQL drops CHAR padding when reading, in SQL and through JDBC alike.
      return Form.of(canon.trimsPadding() ? "TRIM(TRAILING ' ' FROM " + ref + ")" : ref);
    }
    if (side.typeName().equals("bpchar")) {
      if (canon.trimsPadding()) {
        return Form.of(ref + "::text");
      }
      if (side.size() <= 0 || side.size() == Integer.MAX_VALUE) {
        return Form.none("CHAR column without a known length");
      }
      // Casting bpchar to text drops the padding that JDBC returns; put it back.
      return Form.of("rpad(" + ref + "::text, " + side.size() + ")");
    }
    return Form.of(canon.trimsPadding() ? "rtrim(" + ref + "::text, ' ')" : ref + "::text");
  }

  private static Form timestamp(boolean instantKind, Dialect d, Family family, String ref,
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
          return Form.none("MySQL cannot convert from a zone with daylight saving without its"
              + " time zone tables");
        }
        value = offset.getTotalSeconds() == 0 ? ref
            : "CONVERT_TZ(" + ref + ", '" + offset.getId() + "', '+00:00')";
      }
    } else {
      return Form.none("only timestamp columns compare as timestamps in SQL");
    }
    return Form.of(pg ? "substr(to_char(" + value + ", 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), 1, "
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
   * SUM of one 64-bit lane of a hex MD5 column. PostgreSQL reads it signed, MySQL unsigned; both
   * are the same modulo 2^64, which is all a digest keeps.
   */
  public static String laneSum(Dialect dialect, String hexColumn, int lane) {
    int from = lane == 1 ? 1 : 17;
    return dialect == Dialect.POSTGRESQL
        ? "sum(('x' || substr(" + hexColumn + ", " + from + ", 16))::bit(64)::bigint)"
        : "SUM(CAST(CONV(SUBSTRING(" + hexColumn + ", " + from + ", 16), 16, 10) AS UNSIGNED))";
  }
}
