package dev.ferry.enrich;

import dev.ferry.jdbc.Describe;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.plan.KeyRange;
import dev.ferry.plan.KeyRangePlanner;
import dev.ferry.plan.SourceRelation;
import dev.ferry.read.RangeTask;
import dev.ferry.read.SpreadRanges;
import dev.ferry.read.ReadRanges;
import dev.ferry.record.Column;
import dev.ferry.record.Layout;
import dev.ferry.record.Record;
import dev.ferry.record.RecordCoder;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
/**
 * Reads a JDBC lookup table as {@code KV<joinKey, values>} for {@link EnrichChunks}: the same
 * partitioned read as a backfill's ({@link KeyRangePlanner}, {@link ReadRanges}), over the key
 * columns and the filled columns only, in key ranges of the lookup's join key.
 *
 * <p>{@link #plan} looks at the table once, at pipeline construction: its columns, and its key
 * ranges with their estimated row counts, which decide between a side input and a join.
 */
public final class ReadLookupTable
    extends PTransform<PBegin, PCollection<KV<String, Record>>> {
  private final JdbcEndpoint endpoint;
  private final SourceRelation relation;
  private final Layout layout;
  private final List<String> valueColumns;
  private final List<RangeTask> ranges;
  private final long estimatedRows;

  private ReadLookupTable(JdbcEndpoint endpoint, SourceRelation relation, Layout layout,
      List<String> valueColumns, List<RangeTask> ranges, long estimatedRows) {
    this.endpoint = endpoint;
    this.relation = relation;
    this.layout = layout;
    this.valueColumns = valueColumns;
    this.ranges = ranges;
    this.estimatedRows = estimatedRows;
  }

  /** The columns of a lookup table, to compile a {@link Lookup} against. */
  public static Layout describe(JdbcEndpoint endpoint, List<String> table) throws SQLException {
    try (Connection c = endpoint.connect(JdbcEndpoint.Role.SOURCE)) {
      return Describe.relation(c, endpoint.dialect().quoteQualified(table));
    }
  }

  /** Plans the read of {@code lookup}'s rows from {@code table} in {@code partitions} ranges. */
  public static ReadLookupTable plan(JdbcEndpoint endpoint, List<String> table, Lookup lookup,
      int partitions) throws SQLException {
    Objects.requireNonNull(lookup, "lookup");
    SourceRelation relation = SourceRelation.table(table, lookup.keyColumns());
    Layout all = describe(endpoint, table);
    LinkedHashSet<String> read = new LinkedHashSet<>(lookup.keyColumns());
    read.addAll(lookup.valueColumns());
    List<Column> columns = new ArrayList<>();
    for (String name : read) {
      columns.add(all.column(all.indexOf(name)));
    }
    List<RangeTask> tasks = new ArrayList<>();
    long rows = 0;
    try (Connection c = endpoint.connect(JdbcEndpoint.Role.SOURCE)) {
      c.setReadOnly(true);
      for (KeyRange r : new KeyRangePlanner(endpoint.dialect(), relation, partitions).plan(c)) {
        // Rows with a NULL key match nothing.
        if (!r.nullKeys()) {
          tasks.add(RangeTask.fresh(r));
          rows += r.estimatedRows();
        }
      }
    }
    return new ReadLookupTable(endpoint, relation, new Layout(columns),
        List.copyOf(lookup.valueColumns()), tasks, rows);
  }

  /** The lookup's row count as estimated by planning. */
  public long estimatedRows() {
    return estimatedRows;
  }

  @Override
  public PCollection<KV<String, Record>> expand(PBegin begin) {
    return begin
        .apply("Ranges", SpreadRanges.of(ranges))
        .apply("Read", ReadRanges.from(endpoint, relation, layout).withChunkSize(5000))
        .apply("KeyRows", ParDo.of(new LookupRowsFn(relation.displayName(),
            layout.indexesOf(relation.keyColumns()), layout.indexesOf(valueColumns))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RecordCoder.of()));
  }
}
