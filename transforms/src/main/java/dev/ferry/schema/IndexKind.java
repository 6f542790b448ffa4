package dev.ferry.schema;

import java.util.Locale;

/** The access method of a source index, from information_schema.STATISTICS.INDEX_TYPE. */
public enum IndexKind {
  BTREE,
  HASH,
  FULLTEXT,
  SPATIAL,
  /** A MySQL 8 functional index: at least one key part is an expression, not a column. */
  FUNCTIONAL;

  static IndexKind fromMySql(String indexType) {
    String type = indexType == null ? "" : indexType.toUpperCase(Locale.ROOT);
    switch (type) {
      case "HASH":
        return HASH;
      case "FULLTEXT":
        return FULLTEXT;
      case "SPATIAL":
      case "RTREE":
        return SPATIAL;
      default:
        return BTREE;
    }
  }
}
