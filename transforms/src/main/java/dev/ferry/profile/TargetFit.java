package dev.ferry.profile;

import dev.ferry.jdbc.Dialect;
import dev.ferry.map.MappingException;
import dev.ferry.map.RecordMapper;
import dev.ferry.record.ConversionException;
import dev.ferry.record.Layout;
import dev.ferry.write.TargetTable;
import dev.ferry.write.ValueBinder;
import java.io.Serializable;
import java.util.List;

/**
 * Whether a source row would be written as it is: mapped by the job's mapping, then checked
 * against every target column by the same {@link ValueBinder} the backfill's writer uses, so the
 * profile predicts exactly the rows the backfill would dead-letter before reaching the database.
 * Constraints only the database checks (unique indexes, foreign keys, CHECK) are not predicted.
 */
public final class TargetFit implements Serializable {
  private static final long serialVersionUID = 1L;

  private final RecordMapper mapper;
  private final Layout targetColumns;
  private final Dialect dialect;
  private transient ValueBinder[] binders;

  private TargetFit(RecordMapper mapper, Layout targetColumns, Dialect dialect) {
    this.mapper = mapper;
    this.targetColumns = targetColumns;
    this.dialect = dialect;
  }

  /** {@code table} must be described for the mapping's output (see {@link TargetTable#describe}). */
  public static TargetFit of(RecordMapper mapper, TargetTable table, Dialect dialect) {
    List<String> mapped = mapper.targetLayout().names();
    if (!mapped.equals(table.columns().names())) {
      throw new IllegalArgumentException("target " + table.displayName() + " columns "
          + table.columns().names() + " do not line up with the mapping's output " + mapped);
    }
    return new TargetFit(mapper, table.columns(), dialect);
  }

  /** The source columns the mapping was compiled against. */
  public Layout sourceLayout() {
    return mapper.sourceLayout();
  }

  /** Why a row cannot be written: which finding, in which column, and the writer's reason. */
  public record Misfit(FindingKind kind, String column, String reason) {}

  /** The first reason the row would be rejected, or null when it would be written. */
  public Misfit check(Object[] sourceRow) {
    Object[] mapped;
    try {
      mapped = mapper.map(sourceRow);
    } catch (MappingException e) {
      return new Misfit(FindingKind.MAPPING_REJECTS, e.column(), e.getMessage());
    }
    ValueBinder[] b = binders();
    for (int i = 0; i < b.length; i++) {
      try {
        b[i].convert(mapped[i]);
      } catch (ConversionException e) {
        return new Misfit(FindingKind.WILL_NOT_FIT, targetColumns.column(i).name(),
            e.getMessage());
      }
    }
    return null;
  }

  private ValueBinder[] binders() {
    if (binders == null) {
      ValueBinder[] b = new ValueBinder[targetColumns.size()];
      for (int i = 0; i < b.length; i++) {
        b[i] = ValueBinder.forColumn(targetColumns.column(i), dialect);
      }
      binders = b;
    }
    return binders;
  }
}
