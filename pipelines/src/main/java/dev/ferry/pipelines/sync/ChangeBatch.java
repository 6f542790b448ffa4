package dev.ferry.pipelines.sync;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Debezium's records of one batch read into what the applier needs: the changed keys of each
 * synced table, the position after the last record to apply, and, when the batch holds a schema
 * change of a synced table, the statement that stops the sync (records after it are left
 * unapplied).
 */
final class ChangeBatch {
  /** The changed keys by the table's index in the sync's table list. */
  final Map<Integer, Set<KeyChange>> keys = new HashMap<>();
  Map<String, ?> partition;
  Map<String, ?> offset;
  long events;
  /** The newest source commit time among the changes, epoch milliseconds; 0 when none. */
  long newestSourceMillis;
  /** PostgreSQL: the newest transaction id among the changes; 0 when none or not known. */
  long newestTxId;
  /** How many of the records are covered (all unless {@link #stop} is set). */
  int covered;
  /** Why the sync must stop after this batch, naming the table and statement; null: go on. */
  String stop;

  /**
   * Reads the records of {@code tables}, whose names in the stream ({@code db.table} or {@code
   * schema.table}) are {@code captured}, in the same order.
   */
  static ChangeBatch read(List<SourceRecord> records, List<SyncedTable> tables,
      List<String> captured) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < captured.size(); i++) {
      index.put(captured.get(i).toLowerCase(Locale.ROOT), i);
    }
    ChangeBatch b = new ChangeBatch();
    for (SourceRecord r : records) {
      Object value = r.value();
      if (value instanceof Struct) {
        Struct v = (Struct) value;
        if (v.schema().field("ddl") != null) {
          String table = isSnapshot(v) ? null : concerned(v, captured);
          if (table != null) {
            b.stop = "the source table " + table + " was changed by DDL: "
                + v.getString("ddl").trim() + " — ferry sync stopped before applying any"
                + " change after it; change the target table and the job's mapping to match,"
                + " then backfill and sync again (ferry sync --prepare first; for ferry migrate"
                + " --sync see sync.md, whole database)";
            return b;
          }
        } else if (v.schema().field("op") != null && v.schema().field("before") != null) {
          Integer t = index.get(tableOf(v));
          if (t != null && b.change(v, tables.get(t), captured.get(t), t)) {
            return b;
          }
        }
      }
      b.partition = r.sourcePartition();
      b.offset = r.sourceOffset();
      b.covered++;
    }
    return b;
  }

  /** Adds a row change of {@code table}; returns true when it stops the sync instead. */
  private boolean change(Struct v, SyncedTable table, String name, int index) {
    String op = v.getString("op");
    if ("t".equals(op)) {
      stop = "the source table " + name + " was truncated (TRUNCATE) — ferry sync stopped"
          + " before applying it; truncate the target too if that was intended, then run"
          + " ferry sync --prepare, the backfill and ferry sync again";
      return true;
    }
    Struct row = v.getStruct("d".equals(op) ? "before" : "after");
    if (row == null) {
      return false;
    }
    String changed = changedColumns(row, table.syncedColumns());
    if (changed != null) {
      stop = "the source table " + name + " has different columns now (" + changed
          + ") — ferry sync stopped before applying any change after it";
      return true;
    }
    List<String> keyColumns = table.keyColumns();
    Object[] key = new Object[keyColumns.size()];
    for (int i = 0; i < key.length; i++) {
      key[i] = row.get(keyColumns.get(i));
    }
    keys.computeIfAbsent(index, i -> new LinkedHashSet<>()).add(new KeyChange(key));
    events++;
    Struct source = v.getStruct("source");
    if (source != null && source.schema().field("ts_ms") != null) {
      newestSourceMillis = Math.max(newestSourceMillis, source.getInt64("ts_ms"));
    }
    if (source != null && source.schema().field("txId") != null
        && source.get("txId") instanceof Number) {
      newestTxId = Math.max(newestTxId, ((Number) source.get("txId")).longValue());
    }
    return false;
  }

  /** The changed table as {@code db.table} (MariaDB/MySQL) or {@code schema.table}, lower case. */
  private static String tableOf(Struct v) {
    Struct source = v.schema().field("source") == null ? null : v.getStruct("source");
    if (source == null || source.schema().field("table") == null) {
      return "";
    }
    String container = source.schema().field("schema") != null ? source.getString("schema")
        : source.schema().field("db") != null ? source.getString("db") : "";
    return (container + "." + source.getString("table")).toLowerCase(Locale.ROOT);
  }

  private static boolean isSnapshot(Struct v) {
    Struct source = v.schema().field("source") == null ? null : v.getStruct("source");
    if (source == null || source.schema().field("snapshot") == null) {
      return false;
    }
    Object s = source.get("snapshot");
    return s != null && !"false".equals(s.toString());
  }

  /** The synced table ({@code db.table}) a schema change record is about, or null. */
  private static String concerned(Struct v, List<String> captured) {
    String ddl = v.getString("ddl") == null ? "" : v.getString("ddl").toLowerCase(Locale.ROOT);
    for (String table : captured) {
      String name = table.substring(table.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
      if (ddl.matches("(?s).*[\\s`\".]" + java.util.regex.Pattern.quote(name)
          + "([\\s`\"(;,]|$).*")) {
        return table;
      }
    }
    return null;
  }

  /** The columns of an event's row when they are not the synced ones, else null. */
  private static String changedColumns(Struct row, List<String> synced) {
    List<Field> fields = row.schema().fields();
    if (fields.size() == synced.size()) {
      boolean same = true;
      for (int i = 0; i < fields.size() && same; i++) {
        same = fields.get(i).name().equals(synced.get(i));
      }
      if (same) {
        return null;
      }
    }
    StringBuilder sb = new StringBuilder();
    for (Field f : fields) {
      sb.append(sb.length() == 0 ? "" : ", ").append(f.name());
    }
    return "now " + sb + "; synced " + String.join(", ", synced);
  }
}
