package dev.ferry.schema;

import dev.ferry.testing.TestDatabase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What PostgreSQL's catalog says about the tables a test created. */
final class PostgresCatalog {
  private final TestDatabase db;
  private final String schema;

  PostgresCatalog(TestDatabase db, String schema) {
    this.db = db;
    this.schema = schema;
  }

  /** One column as information_schema.columns describes it. */
  record Column(
      String dataType,
      String udtName,
      Integer length,
      Integer precision,
      Integer scale,
      Integer datetimePrecision,
      boolean nullable,
      String defaultValue,
      boolean identity,
      String identityGeneration) {}

  Map<String, Column> columns(String table) {
    Map<String, Column> columns = new LinkedHashMap<>();
    for (List<Object> r :
        db.query(
            "SELECT column_name, data_type, udt_name, character_maximum_length,"
                + " numeric_precision, numeric_scale, datetime_precision, is_nullable,"
                + " column_default, is_identity, identity_generation"
                + " FROM information_schema.columns WHERE table_schema = "
                + literal(schema)
                + " AND table_name = "
                + literal(table)
                + " ORDER BY ordinal_position")) {
      columns.put(
          (String) r.get(0),
          new Column(
              (String) r.get(1),
              (String) r.get(2),
              (Integer) r.get(3),
              (Integer) r.get(4),
              (Integer) r.get(5),
              (Integer) r.get(6),
              "YES".equals(r.get(7)),
              (String) r.get(8),
              "YES".equals(r.get(9)),
              (String) r.get(10)));
    }
    return columns;
  }

  /** Index name to its definition (pg_indexes.indexdef). */
  Map<String, String> indexes(String table) {
    Map<String, String> indexes = new LinkedHashMap<>();
    for (List<Object> r :
        db.query(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = "
                + literal(schema)
                + " AND tablename = "
                + literal(table))) {
      indexes.put((String) r.get(0), (String) r.get(1));
    }
    return indexes;
  }

  /** Constraint name to {type, definition} (pg_get_constraintdef) of a table. */
  Map<String, List<String>> constraints(String table) {
    Map<String, List<String>> constraints = new LinkedHashMap<>();
    for (List<Object> r :
        db.query(
            "SELECT c.conname, c.contype::text, pg_get_constraintdef(c.oid)"
                + " FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid"
                + " JOIN pg_namespace n ON n.oid = t.relnamespace"
                + " WHERE n.nspname = "
                + literal(schema)
                + " AND t.relname = "
                + literal(table))) {
      constraints.put((String) r.get(0), List.of((String) r.get(1), (String) r.get(2)));
    }
    return constraints;
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
