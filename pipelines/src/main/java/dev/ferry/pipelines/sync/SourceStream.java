package dev.ferry.pipelines.sync;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** A source database's change stream as Debezium reads it: checks, start position, settings. */
interface SourceStream {
  /** What the source lacks for change capture, each with exactly what to change; empty: ready. */
  List<String> problems() throws SQLException;

  /**
   * Creates what the stream needs at the source (a replication slot) and returns the current
   * position as Debezium's source partition and offset: changes committed from now on are
   * captured.
   */
  Map<String, Map<String, Object>> currentPosition() throws SQLException;

  /** The Debezium engine's connector properties (offset store and engine name are added). */
  Properties connectorProperties();

  /** The source's position now, to compare {@link #reached} against. */
  Object head() throws SQLException;

  /** Whether a stored offset covers every change committed up to {@code head}. */
  boolean reached(Map<String, Object> offset, Object head);

  /**
   * A synced table's name in the change records, {@code db.table} / {@code schema.table}, from
   * its name parts ({@code [db, table]}, {@code [schema, table]} or {@code [table]}).
   */
  String capturedName(List<String> table);
}
