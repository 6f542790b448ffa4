package dev.ferry.pipelines.sync;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Debezium's records of one batch read into what the applier needs: the changed keys, the
 * position after the last record to apply, and, when the batch holds a schema change of the
 * synced table, the statement that stops the sync (records after it are left unapplied).
 */
final class ChangeBatch {
  final Set<KeyChange> keys = new LinkedHashSet<>();
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

  static ChangeBatch read(List<SourceRecord> records, List<String> keyColumns,
      List<String> syncedColumns, String table) {
    ChangeBatch b = new ChangeBatch();
    for (SourceRecord r : records) {
      Object value = r.value();
      if (value instanceof Struct) {
        Struct v = (Struct) value;
        if (v.schema().field("ddl") != null) {
          if (!isSnapshot(v) && concerns(v, table)) {
            b.stop = "the source table " + table + " was changed by DDL: "
                + v.getString("ddl").trim() + " — ferry sync stopped before applying any"
                + " change after it; change the target table and the job's mapping to match,"
                + " then backfill and sync again (ferry sync --prepare first)";
            return b;
          }
        } else if (v.schema().field("op") != null && v.schema().field("before") != null) {
          String op = v.getString("op");
          if ("t".equals(op)) {
            b.stop = "the source table " + table + " was truncated (TRUNCATE) — ferry sync"
                + " stopped before applying it; truncate the target too if that was intended,"
                + " then run ferry sync --prepare, the backfill and ferry sync again";
            return b;
          }
          Struct row = v.getStruct("d".equals(op) ? "before" : "after");
          if (row != null) {
            String changed = changedColumns(row, syncedColumns);
            if (changed != null) {
              b.stop = "the source table " + table + " has different columns now (" + changed
                  + ") — ferry sync stopped before applying any change after it";
              return b;
            }
            Object[] key = new Object[keyColumns.size()];
            for (int i = 0; i < key.length; i++) {
              key[i] = row.get(keyColumns.get(i));
            }
            b.keys.add(new KeyChange(key));
            b.events++;
            Struct source = v.getStruct("source");
            if (source != null && source.schema().field("ts_ms") != null) {
              b.newestSourceMillis = Math.max(b.newestSourceMillis, source.getInt64("ts_ms"));
            }
            if (source != null && source.schema().field("txId") != null
                && source.get("txId") instanceof Number) {
              b.newestTxId = Math.max(b.newestTxId, ((Number) source.get("txId")).longValue());
            }
          }
        }
      }
      b.partition = r.sourcePartition();
      b.offset = r.sourceOffset();
      b.covered++;
    }
    return b;
  }

  private static boolean isSnapshot(Struct v) {
    Struct source = v.schema().field("source") == null ? null : v.getStruct("source");
    if (source == null || source.schema().field("snapshot") == null) {
      return false;
    }
    Object s = source.get("snapshot");
    return s != null && !"false".equals(s.toString());
  }

  /** Whether a schema change record is about {@code table} ({@code db.table}). */
  private static boolean concerns(Struct v, String table) {
    String name = table.substring(table.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    String ddl = v.getString("ddl") == null ? "" : v.getString("ddl").toLowerCase(Locale.ROOT);
    return ddl.matches("(?s).*[\\s`\".]" + java.util.regex.Pattern.quote(name)
        + "([\\s`\"(;,]|$).*");
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
