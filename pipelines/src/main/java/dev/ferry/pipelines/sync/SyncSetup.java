package dev.ferry.pipelines.sync;

import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.pipelines.backfill.BackfillConfig;
import dev.ferry.pipelines.spec.SpecException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a sync keeps in step and from where: its tables, each as its backfill job sees it (the same
 * spec: source table and key, mapping, target table and key), the one change stream of their
 * source database, and the job name its position is kept under. {@code ferry sync} has one table
 * and its job's name; {@code ferry migrate --sync} has every table of the migration, in load order,
 * under the migration's name.
 */
final class SyncSetup {
  /** The name of the sync's position in the target's state table. */
  final String job;
  /** The first table's job: the source, target and state schema of every table. */
  final BackfillConfig config;
  final List<SyncedTable> tables;
  final SourceStream stream;
  /** Each table's name in the change records, in the order of {@link #tables}. */
  final List<String> captured = new ArrayList<>();

  private SyncSetup(String job, List<SyncedTable> tables, SourceStream stream) {
    this.job = job;
    this.config = tables.get(0).config;
    this.tables = List.copyOf(tables);
    this.stream = stream;
    for (SyncedTable t : tables) {
      captured.add(stream.capturedName(t.sourceTable));
    }
  }

  /** {@code ferry sync}: the job spec's one table, under the job's name. */
  static SyncSetup of(BackfillConfig config, long serverId) throws SQLException {
    if (config.source == null || config.target == null) {
      throw new SpecException(config.origin, "source.url", "ferry sync moves a JDBC table into"
          + " a JDBC table; MongoDB is not supported");
    }
    if (config.sourceTable == null) {
      throw new SpecException(config.origin, "source.table", "ferry sync follows a table's"
          + " changes; a source query has none");
    }
    return of(config.job, List.of(config), List.of(config.sourceTable), serverId);
  }

  /**
   * Several tables of one source database under one position named {@code job}; {@code
   * sourceTables} names the table each config reads (also when it reads it through a query).
   */
  static SyncSetup of(String job, List<BackfillConfig> configs, List<List<String>> sourceTables,
      long serverId) throws SQLException {
    List<SyncedTable> tables = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      tables.add(SyncedTable.of(configs.get(i), sourceTables.get(i)));
    }
    return new SyncSetup(job, tables, stream(configs.get(0).source, job, sourceTables,
        serverId));
  }

  /** The change stream of {@code tables} at {@code source}, named after {@code job}. */
  static SourceStream stream(JdbcEndpoint source, String job, List<List<String>> tables,
      long serverId) {
    return source.dialect() == Dialect.MYSQL ? new BinlogStream(source, job, tables, serverId)
        : new WalStream(source, job, tables);
  }

  /** The target tables, for messages. */
  String targetNames() {
    List<String> names = new ArrayList<>();
    for (SyncedTable t : tables) {
      names.add(t.prepared.targetName());
    }
    return names.size() == 1 ? names.get(0) : names.toString();
  }
}
