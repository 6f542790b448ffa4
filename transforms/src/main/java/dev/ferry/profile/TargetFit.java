package dev.ferry.profile;

import dev.ferry.jdbc.Dialect;
import dev.ferry.map.MappingException;
import dev.ferry.map.RecordMapper;
import dev.ferry.record.Column;
import dev.ferry.record.ConversionException;
import dev.ferry.record.Layout;
import dev.ferry.write.TargetTable;
import dev.ferry.write.ValueBinder;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whether a source row would be written as it is: mapped by the job's mapping, then checked
 * against every target column by the same {@link ValueBinder} the backfill's writer uses, so the
 * profile predicts exactly the rows the backfill would dead-letter before reaching the database.
 * Constraints only the database checks (unique indexes, foreign keys, CHECK) are not predicted.
 *
 * <p>A column copied unchanged from PostgreSQL into a PostgreSQL column of the same type (text no
 * shorter) fits by its type: every value the source holds, the target takes, and the writer's
 * checks cannot reject it. Its values are not checked one by one ({@link #fitByType()}); times
 * and dates always are, because the writer rejects some values PostgreSQL holds (infinity).
 */
public final class TargetFit implements Serializable {
  private static final long serialVersionUID = 1L;

  private final RecordMapper mapper;
  private final Layout targetColumns;
  private final Dialect dialect;
  /** Per target column: whether a value can fail the writer's checks (see {@link #fitByType}). */
  private final boolean[] checked;
  private final boolean anyChecked;
  private transient ValueBinder[] binders;

  /** PostgreSQL types whose values always fit a column of the same type and size. */
  private static final Set<String> FIT_BY_TYPE = Set.of("int2", "int4", "int8", "bool", "uuid",
      "bytea", "float4", "float8", "numeric", "text", "varchar", "bpchar", "json", "jsonb");

  private TargetFit(RecordMapper mapper, Layout targetColumns, Dialect dialect,
      boolean[] checked) {
    this.mapper = mapper;
    this.targetColumns = targetColumns;
    this.dialect = dialect;
    this.checked = checked;
    boolean any = false;
    for (boolean c : checked) {
      any |= c;
    }
    this.anyChecked = any;
  }

  /**
   * {@code table} must be described for the mapping's output (see {@link TargetTable#describe});
   * the dialects are the source's and the target's.
   */
  public static TargetFit of(RecordMapper mapper, TargetTable table, Dialect sourceDialect,
      Dialect targetDialect) {
    List<String> mapped = mapper.targetLayout().names();
    if (!mapped.equals(table.columns().names())) {
      throw new IllegalArgumentException("target " + table.displayName() + " columns "
          + table.columns().names() + " do not line up with the mapping's output " + mapped);
    }
    boolean[] checked = new boolean[table.columns().size()];
    for (int i = 0; i < checked.length; i++) {
      checked[i] = !(mapper.isIdentity() && sourceDialect == Dialect.POSTGRESQL
          && targetDialect == Dialect.POSTGRESQL
          && fitsByType(mapper.sourceLayout().column(i), table.columns().column(i)));
    }
    return new TargetFit(mapper, table.columns(), targetDialect, checked);
  }

  private static boolean fitsByType(Column source, Column target) {
    String type = source.typeName();
    if (!FIT_BY_TYPE.contains(type) || !type.equals(target.typeName())
        || source.nullable() && !target.nullable()) {
      return false;
    }
    if (type.equals("varchar") || type.equals("bpchar")) {
      return source.size() > 0 && target.size() >= source.size();
    }
    return target.size() == source.size() && target.scale() == source.scale();
  }

  /** The target columns whose values fit by their type and are not checked one by one. */
  public List<String> fitByType() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < checked.length; i++) {
      if (!checked[i]) {
        out.add(targetColumns.column(i).name());
      }
    }
    return out;
  }

  /** The source columns the mapping was compiled against. */
  public Layout sourceLayout() {
    return mapper.sourceLayout();
  }

  /** Why a row cannot be written: which finding, in which column, and the writer's reason. */
  public record Misfit(FindingKind kind, String column, String reason) {}

  /** The first reason the row would be rejected, or null when it would be written. */
  public Misfit check(Object[] sourceRow) {
    if (!anyChecked) {
      return null;
    }
    Object[] mapped;
    try {
      mapped = mapper.map(sourceRow);
    } catch (MappingException e) {
      return new Misfit(FindingKind.MAPPING_REJECTS, e.column(), e.getMessage());
    }
    ValueBinder[] b = binders();
    for (int i = 0; i < b.length; i++) {
      if (!checked[i]) {
        continue;
      }
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
