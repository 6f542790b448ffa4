package dev.ferry.digest;

import dev.ferry.jdbc.Dialect;
import dev.ferry.record.Column;
import java.util.ArrayList;
import java.util.List;

/** The in-database row hash for PostgreSQL on both sides, by each type's own hash function. */
public final class PostgresRowHash {
  private PostgresRowHash() {}

  /**
   * PostgreSQL on both sides with the very same column types: each value hashed by its type's own
   * 64-bit hash function ({@link #valueHash}), seeded by its position so that equal
   * values in two columns hash apart, and the column hashes combined by XOR. There is no text
   * formatting and no row built only to be hashed again: a tenth cheaper per row than
   * {@code hash_record_extended} over a {@code ROW(...)}, which copies every value once more.
   * Types whose hash is not exact keep their text: floats (-0 and 0 hash alike), JSON
   * ({@code jsonb}'s hash ignores where arrays end) and every type not known to hash by value
   * (an enum hashes its database-specific OID). Text is hashed in the "C"
   * collation, byte by byte. Numbers hash by value and timestamps at full precision, so the hash
   * is at least as strict as the pipeline's comparison. Whether two servers compute these hashes
   * alike is checked before use ({@code PushdownPlan.hashesAlike}): the hash functions are not
   * promised to be stable across versions and platforms.
   */
  public static SqlCanonical.Form of(List<Column> sideColumns, List<Column> peerColumns) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < sideColumns.size(); i++) {
      Column a = sideColumns.get(i);
      Column b = peerColumns.get(i);
      if (!a.typeName().equals(b.typeName()) || a.size() != b.size() || a.scale() != b.scale()) {
        return SqlCanonical.Form.none("column " + a.name() + " is " + a + " on one side and " + b
            + " on the other");
      }
      values.add(valueHash(a.typeName(), Dialect.POSTGRESQL.quote(a.name()), i + 1));
    }
    return SqlCanonical.Form.of(Dialect.POSTGRESQL, List.of("(" + String.join(" # ", values) + ")"),
        String.valueOf(SqlCanonical.HASH));
  }

  /**
   * The SQL for the 64-bit hash of {@code ref}, a value of PostgreSQL type {@code type}, under
   * {@code seed}: the type's own hash where it tells exactly the values the pipeline tells, else
   * the hash of the value's text; never NULL, since NULL hashes to a constant of the seed. A
   * {@code timestamptz} is hashed as its UTC wall time, which names one instant whatever the
   * session's zone (a cast to {@code timestamp} would fold the hour a clock is set back).
   */
  public static String valueHash(String type, String ref, int seed) {
    String function;
    String argument = ref;
    switch (type) {
      case "int2":
        function = "hashint2extended";
        break;
      case "int4":
        function = "hashint4extended";
        break;
      case "int8":
        function = "hashint8extended";
        break;
      case "numeric":
        function = "hash_numeric_extended";
        break;
      case "bool":
        function = "hashint4extended";
        argument = ref + "::int4";
        break;
      case "text":
      case "varchar":
        function = "hashtextextended";
        argument = ref + " COLLATE \"C\"";
        break;
      case "date":
      case "bytea":
        // Their hash functions take no SQL argument, and no cast of a date is exact over its
        // whole range (timestamps end in 294276 AD): a one-value row hashes with them.
        function = "hash_record_extended";
        argument = "ROW(" + ref + ")";
        break;
      case "time":
        function = "time_hash_extended";
        break;
      case "timestamp":
        function = "timestamp_hash_extended";
        break;
      case "timestamptz":
        function = "timestamp_hash_extended";
        argument = ref + " AT TIME ZONE 'UTC'";
        break;
      case "uuid":
        function = "uuid_hash_extended";
        break;
      default:
        function = "hashtextextended";
        argument = ref + "::text COLLATE \"C\"";
    }
    return "coalesce(" + function + "(" + argument + ", " + seed + "), " + nullHash(seed) + ")";
  }

  /** A constant per seed (golden-ratio multiples), the hash of a NULL in that position. */
  private static long nullHash(int seed) {
    long h = seed * 0x9E3779B97F4A7C15L;
    // Long.MIN_VALUE has no int8 literal in SQL (its negation overflows).
    return h == Long.MIN_VALUE ? h + 1 : h;
  }
}
