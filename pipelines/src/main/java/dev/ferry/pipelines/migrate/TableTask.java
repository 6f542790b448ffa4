package dev.ferry.pipelines.migrate;

import dev.ferry.jdbc.Dialect;
import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.schema.TableConversion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * One table of a migration: where it is read, where it is written, its CREATE TABLE, and the
 * backfill job that copies it. {@link #configure} turns it into the backfill's flags, so the table
 * is copied, resumed and reconciled exactly like a hand-written backfill job.
 */
public final class TableTask {
  private static final Pattern JOB_SAFE = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final int MAX_JOB_NAME = 200;
  /** Without --partitions, a table gets a key range per this many rows, up to the default 16. */
  static final long ROWS_PER_RANGE = 20_000;
  private static final int MAX_DEFAULT_RANGES = 16;
  /** Without --batchSize, rows per chunk of the load; see {@link #configureLoad}. */
  static final int LOAD_BATCH_SIZE = 10_000;

  private final String sourceTable;
  private final List<String> targetTable;
  private final String createTable;
  private final List<String> key;
  private final Optional<String> sourceQuery;
  private final TableConversion conversion;
  private final Path mappingFile;
  private final String job;
  private final RowCount rows;

  TableTask(String database, String sourceTable, List<String> targetTable, String createTable,
      List<String> key, Optional<String> sourceQuery, TableConversion conversion,
      Path mappingFile, RowCount rows) {
    this.sourceTable = Objects.requireNonNull(sourceTable, "sourceTable");
    this.targetTable = List.copyOf(targetTable);
    this.createTable = Objects.requireNonNull(createTable, "createTable");
    this.key = List.copyOf(key);
    this.sourceQuery = Objects.requireNonNull(sourceQuery, "sourceQuery");
    this.conversion = Objects.requireNonNull(conversion, "conversion");
    this.mappingFile = Objects.requireNonNull(mappingFile, "mappingFile");
    this.job = jobName(database, sourceTable);
    this.rows = Objects.requireNonNull(rows, "rows");
  }

  /** Rows in the source table when the plan was made; exact or the server's estimate. */
  public record RowCount(long value, boolean exact) {
    @Override
    public String toString() {
      return (exact ? "" : "~") + String.format("%,d", value);
    }
  }

  /**
   * The backfill job name, {@code migrate-<database>-<table>}, with characters a job name cannot
   * hold replaced; a hash of the real names then keeps two such tables apart.
   */
  static String jobName(String database, String table) {
    String wanted = "migrate-" + database + "-" + table;
    if (JOB_SAFE.matcher(wanted).matches() && wanted.length() <= MAX_JOB_NAME) {
      return wanted;
    }
    String safe = wanted.replaceAll("[^A-Za-z0-9_.-]", "_");
    String hash = crc32(wanted);
    int keep = Math.min(safe.length(), MAX_JOB_NAME - hash.length() - 1);
    return safe.substring(0, keep) + "-" + hash;
  }

  static String crc32(String text) {
    CRC32 crc = new CRC32();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    return String.format("%08x", crc.getValue());
  }

  /**
   * Sets every backfill flag for this table on {@code options}: the connections are already there
   * (the flags share their names with {@link MigrateOptions}); the rest is this table's, and flags
   * a migration does not use are cleared so that nothing from the command line leaks into a copy.
   */
  void configure(BackfillOptions options, MigrateSettings settings, String loadTargetUrl,
      boolean restart) {
    options.setSpec(null);
    options.setJob(job);
    options.setSourceTable(sourceQuery.isPresent() ? null : flagName(List.of(sourceTable)));
    options.setSourceQuery(sourceQuery.orElse(null));
    options.setSourceKey(sourceQuery.isPresent() ? String.join(",", key) : null);
    // The DDL maps zero dates to NULL (and drops NOT NULL where a zero date is the default).
    options.setZeroDates("null");
    options.setTargetUrl(loadTargetUrl);
    options.setTargetTable(flagName(targetTable));
    options.setTargetKey(null);
    options.setStateSchema(settings.stateSchema.isEmpty() ? null
        : flagName(settings.stateSchema));
    options.setMappingFile(mappingFile.toString());
    // The mapping file already renames every column --naming spells differently, and the table
    // was created by the migration.
    options.setNaming(null);
    options.setCreateTarget(false);
    options.setMaxDeadLetters(settings.maxDeadLetters);
    options.setSinceColumn(null);
    options.setSince(null);
    options.setDeadLetterFile(null);
    options.setSummaryFile(null);
    options.setRestart(restart);
    if (options.getPartitions() == null) {
      options.setPartitions(defaultRanges());
    }
  }

  /**
   * {@link #configure} for the load, whose chunks are {@value #LOAD_BATCH_SIZE} rows without
   * --batchSize rather than the backfill's 1000. Each chunk is one COPY into PostgreSQL, and a
   * COPY costs the server a fixed amount beyond its rows: PostgreSQL (15 measured) registers each
   * of the up to 1000 tuple slots of its multi-insert buffer with a resource owner whose lookups
   * slow down with every slot of the same table, about 30% of the server's CPU of a load in
   * 1000-row chunks. A chunk is still one transaction with its checkpoint; a killed load redoes
   * at most one chunk per range.
   */
  void configureLoad(BackfillOptions options, MigrateSettings settings, String loadTargetUrl,
      boolean restart) {
    configure(options, settings, loadTargetUrl, restart);
    if (options.getBatchSize() == null) {
      options.setBatchSize(LOAD_BATCH_SIZE);
    }
  }

  /**
   * Key ranges for a table when --partitions is not given: one per {@link #ROWS_PER_RANGE} rows,
   * at most 16. A small table is one range: planning, reading and checkpointing many ranges of a
   * few rows each would cost more than the rows, and tables are copied several at once anyway.
   */
  int defaultRanges() {
    long ranges = (rows.value() + ROWS_PER_RANGE - 1) / ROWS_PER_RANGE;
    return (int) Math.max(1, Math.min(MAX_DEFAULT_RANGES, ranges));
  }

  /** A name in the double-quoted form the backfill's table flags parse back exactly. */
  private static String flagName(List<String> parts) {
    List<String> quoted = new ArrayList<>();
    for (String part : parts) {
      quoted.add('"' + part.replace("\"", "\"\"") + '"');
    }
    return String.join(".", quoted);
  }

  public String sourceTable() {
    return sourceTable;
  }

  /** The target table's name parts: {@code [schema, table]} or {@code [table]}. */
  public List<String> targetTable() {
    return targetTable;
  }

  /** The target table, quoted for PostgreSQL. */
  public String quotedTarget() {
    return Dialect.POSTGRESQL.quoteQualified(targetTable);
  }

  public String createTable() {
    return createTable;
  }

  /**
   * A hash of how the table is created and how its values are converted (the CREATE TABLE, the
   * source query, every column's conversion needs and zone). Saved with the table's state, it
   * tells a later run whose options or rules changed that the table in the target was made and
   * filled differently.
   */
  public String definitionHash() {
    String definition = createTable + "\n" + sourceQuery.orElse("") + "\n" + conversion;
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(definition.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The source's primary key columns. */
  public List<String> key() {
    return key;
  }

  /** The query that reads the table with MySQL-side conversions, if any column needs one. */
  public Optional<String> sourceQuery() {
    return sourceQuery;
  }

  public TableConversion conversion() {
    return conversion;
  }

  public Path mappingFile() {
    return mappingFile;
  }

  public String job() {
    return job;
  }

  public RowCount rows() {
    return rows;
  }
}
