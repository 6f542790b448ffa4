package dev.ferry.record;

import java.util.Locale;

/** The kinds of value ferry converts between; a cast or a target column names one. */
public enum ValueKind {
  TEXT,
  LONG,
  DECIMAL,
  DOUBLE,
  FLOAT,
  BOOLEAN,
  DATE,
  TIME,
  TIMESTAMP,
  TIMESTAMPTZ,
  JSON,
  UUID,
  BYTES,
  /** A database type ferry passes through as text for the server to parse (enum, inet, …). */
  OTHER;

  /** Parses a cast name from a mapping file; accepts common SQL spellings. */
  public static ValueKind parse(String name) {
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "text":
      case "string":
      case "varchar":
        return TEXT;
      case "bigint":
      case "integer":
      case "int":
      case "smallint":
      case "long":
        return LONG;
      case "numeric":
      case "decimal":
        return DECIMAL;
      case "double":
      case "double precision":
      case "float8":
        return DOUBLE;
      case "real":
      case "float":
      case "float4":
        return FLOAT;
      case "boolean":
      case "bool":
        return BOOLEAN;
      case "date":
        return DATE;
      case "time":
        return TIME;
      case "timestamp":
      case "datetime":
        return TIMESTAMP;
      case "timestamptz":
      case "timestamp with time zone":
        return TIMESTAMPTZ;
      case "json":
      case "jsonb":
        return JSON;
      case "uuid":
        return UUID;
      case "bytes":
      case "bytea":
      case "blob":
        return BYTES;
      default:
        throw new IllegalArgumentException(
            "unknown type '" + name + "' (expected one of text, bigint, numeric, double, real,"
                + " boolean, date, time, timestamp, timestamptz, json, uuid, bytes)");
    }
  }
}
